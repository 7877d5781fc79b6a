// Generated from the server's OpenAPI document by scripts/openApiTypes.ts (npm run web:api). Do not edit:
// test/e2e/webApiTypes.test.ts fails when this file no longer matches the server.
export interface paths {
  "/.well-known/crl/{file}": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          file: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/.well-known/jwks.json": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/opendata/prefecture.ndjson": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/opendata/summary_by_date.csv": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/opendata/summary_by_prefecture.csv": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/admin/projections": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/admin/projections/{name}/rebuild": {
    post: {
      parameters: {
        query?: {
          wait?: "true" | "false";
        };
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/audit/access": {
    get: {
      parameters: {
        query?: {
          record?: string;
          actor?: string;
          from?: string;
          to?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/audit/evidence/{m}/{c}": {
    get: {
      parameters: {
        query?: {
          asOf?: string;
        };
        header?: never;
        path: {
          m: string;
          c: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/audit/sign-ins": {
    get: {
      parameters: {
        query?: {
          username?: string;
          from?: string;
          to?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/certificates/verify": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            shc?: string;
            vds?: string | {
              [key: string]: unknown;
            };
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/coupons/batches": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            municipality?: string;
            criteria: {
              doseNumber: number;
              eligibleBy?: string;
              minAge?: number;
              maxAge?: number;
              coupons?: (string)[];
              limit?: number;
            };
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/coupons/batches/{id}": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/coupons/batches/{id}/due": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/coupons/batches/{id}/pdf": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/ledger/checkpoint": {
    get: {
      parameters: {
        query?: {
          log?: "events" | "access";
          size?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/ledger/key": {
    get: {
      parameters: {
        query?: {
          log?: "events" | "access";
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/ledger/proofs/consistency": {
    get: {
      parameters: {
        query: {
          log?: "events" | "access";
          from: string;
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/ledger/proofs/inclusion": {
    get: {
      parameters: {
        query: {
          log?: "events" | "access";
          position: string;
          treeSize?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/recipients": {
    get: {
      parameters: {
        query?: {
          municipality?: string;
          nameKana?: string;
          birthDate?: string;
          status?: "active" | "transferred-out" | "erased";
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            municipality: string;
            coupon: string;
            addressNumber: string;
            name: string;
            nameKana: string;
            birthDate: string;
            sex: "M" | "F" | "U";
            address?: string;
            myNumber?: string;
            medicalWorker?: boolean;
            commandId?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              stream: string;
              version: number;
              position: number | null;
            };
          };
        };
      };
    };
  };
  "/v1/recipients/export": {
    get: {
      parameters: {
        query: {
          municipality: string;
          encoding?: "utf-8" | "shift_jis";
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/recipients/import": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              imported: number;
              duplicates: number;
              rejected: ({
                line: number;
                endLine?: number;
                errors: ({
                  field: string;
                  code: string;
                  message: string;
                  offset?: number;
                })[];
              })[];
              rejectedTotal?: number;
            };
          };
        };
      };
    };
  };
  "/v1/recipients/search": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            municipality?: string;
            nameKana?: string;
            birthDate?: string;
            status?: "active" | "transferred-out" | "erased";
            cursor?: string;
            limit?: number;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              items: ({
                municipality: string;
                coupon: string;
                addressNumber: string | null;
                status: "active" | "transferred-out" | "erased";
                person: {
                  name: string;
                  nameKana: string;
                  birthDate: string;
                  sex: string | null;
                } | null;
                doses: ({
                  doseNumber: number;
                  date: string;
                  vaccine: {
                    maker: string;
                    lot: string;
                  };
                  siteCode: string;
                  source: string;
                  corrected: boolean;
                  [key: string]: unknown;
                })[];
                nextEligibleDate: string | null;
                version: number;
              })[];
              nextCursor: string | null;
              asOfPosition: number;
            };
          };
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          m: string;
          c: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}/certificates/record": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          m: string;
          c: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}/certificates/shc": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          m: string;
          c: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}/certificates/vds": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          m: string;
          c: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}/corrections": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          m: string;
          c: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            changes: {
              name?: string;
              nameKana?: string;
              birthDate?: string;
              sex?: "M" | "F" | "U";
              address?: string;
              medicalWorker?: boolean;
            };
            reason: string;
            commandId?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              stream: string;
              version: number;
              position: number | null;
            };
          };
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}/history": {
    get: {
      parameters: {
        query?: {
          asOf?: string;
        };
        header?: never;
        path: {
          m: string;
          c: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}/personal-data": {
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          m: string;
          c: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            reason: string;
            commandId?: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              stream: string;
              version: number;
              position: number | null;
            };
          };
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}/vaccinations/{dose}/corrections": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          m: string;
          c: string;
          dose: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            changes: {
              date?: string;
              vaccine?: {
                maker?: "pfizer" | "moderna" | "astrazeneca" | "novavax";
                lot?: string;
              };
              siteCode?: string;
            };
            reason: string;
            commandId?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              stream: string;
              version: number;
              position: number | null;
            };
          };
        };
      };
    };
  };
  "/v1/recipients/{m}/{c}/vaccinations/{dose}/void": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          m: string;
          c: string;
          dose: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            reason: string;
            commandId?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              stream: string;
              version: number;
              position: number | null;
            };
          };
        };
      };
    };
  };
  "/v1/scans": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              scanId: string;
              status: "recorded" | "needs-review";
              read: {
                method: "qr" | "ocr" | "none" | "typed";
                line: string | null;
                municipality: string | null;
                coupon: string | null;
                dose: number | null;
              };
              reasons?: ("unreadable" | "passes-disagree" | "check-digit" | "unknown-coupon" | "not-active" | "dose-mismatch" | "lot-pattern" | "rule-refused")[];
              ruleCode?: string;
              recorded?: {
                recipientStream: string;
                doseNumber: number;
              };
              duplicate?: boolean;
            };
          };
        };
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              scanId: string;
              status: "recorded" | "needs-review";
              read: {
                method: "qr" | "ocr" | "none" | "typed";
                line: string | null;
                municipality: string | null;
                coupon: string | null;
                dose: number | null;
              };
              reasons?: ("unreadable" | "passes-disagree" | "check-digit" | "unknown-coupon" | "not-active" | "dose-mismatch" | "lot-pattern" | "rule-refused")[];
              ruleCode?: string;
              recorded?: {
                recipientStream: string;
                doseNumber: number;
              };
              duplicate?: boolean;
            };
          };
        };
      };
    };
  };
  "/v1/scans/review": {
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              items: ({
                scanId: string;
                scannedAt: string;
                read: {
                  method: string;
                  line: string | null;
                  municipality: string | null;
                  coupon: string | null;
                  dose: number | null;
                };
                reasons: (string)[];
                ruleCode: string | null;
                date: string;
                maker: string;
                lot: string | null;
                imageSha256: string;
              })[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
  };
  "/v1/scans/{id}": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              scanId: string;
              status: "recorded" | "needs-review";
              read: {
                method: "qr" | "ocr" | "none" | "typed";
                line: string | null;
                municipality: string | null;
                coupon: string | null;
                dose: number | null;
              };
              reasons?: ("unreadable" | "passes-disagree" | "check-digit" | "unknown-coupon" | "not-active" | "dose-mismatch" | "lot-pattern" | "rule-refused")[];
              ruleCode?: string;
              recorded?: {
                recipientStream: string;
                doseNumber: number;
              };
              duplicate?: boolean;
            };
          };
        };
      };
    };
  };
  "/v1/scans/{id}/image": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/scans/{id}/resolve": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            line: string;
            lot?: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              scanId: string;
              status: "recorded" | "needs-review";
              read: {
                method: "qr" | "ocr" | "none" | "typed";
                line: string | null;
                municipality: string | null;
                coupon: string | null;
                dose: number | null;
              };
              reasons?: ("unreadable" | "passes-disagree" | "check-digit" | "unknown-coupon" | "not-active" | "dose-mismatch" | "lot-pattern" | "rule-refused")[];
              ruleCode?: string;
              recorded?: {
                recipientStream: string;
                doseNumber: number;
              };
              duplicate?: boolean;
            };
          };
        };
      };
    };
  };
  "/v1/session": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              username: string;
              role: "municipality" | "site" | "ministry" | "auditor" | "admin";
              municipality: string | null;
              site: string | null;
              csrfToken: string;
              expiresAt: string;
              idleExpiresAt: string;
            };
          };
        };
      };
    };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            username: string;
            password: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              username: string;
              role: "municipality" | "site" | "ministry" | "auditor" | "admin";
              municipality: string | null;
              site: string | null;
              csrfToken: string;
              expiresAt: string;
              idleExpiresAt: string;
            };
          };
        };
      };
    };
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/statistics/daily": {
    get: {
      parameters: {
        query?: {
          from?: string;
          to?: string;
          prefecture?: string;
          municipality?: string;
          groupBy?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/statistics/live": {
    get: {
      parameters: {
        query?: {
          lastEventId?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/transfers": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            from: {
              municipality: string;
              coupon: string;
            };
            myNumber: string;
            consent: {
              method: "in-person" | "written" | "online";
              at: string;
            };
            to: {
              coupon: string;
              addressNumber: string;
              address?: string;
            };
            commandId?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              stream: string;
              version: number;
              position: number | null;
            };
          };
        };
      };
    };
  };
  "/v1/transfers/lookup": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            myNumber: string;
          };
        };
      };
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content?: never;
        };
      };
    };
  };
  "/v1/users": {
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              users: ({
                username: string;
                role: "municipality" | "site" | "ministry" | "auditor" | "admin";
                municipality: string | null;
                site: string | null;
                createdAt: string;
                createdBy: string;
                disabledAt: string | null;
              })[];
            };
          };
        };
      };
    };
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            username: string;
            role: "municipality" | "site" | "ministry" | "auditor" | "admin";
            municipality?: string;
            site?: string;
            password?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              user: {
                username: string;
                role: "municipality" | "site" | "ministry" | "auditor" | "admin";
                municipality: string | null;
                site: string | null;
                createdAt: string;
                createdBy: string;
                disabledAt: string | null;
              };
              generatedPassword?: string;
            };
          };
        };
      };
    };
  };
  "/v1/users/{username}/disable": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          username: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              user: {
                username: string;
                role: "municipality" | "site" | "ministry" | "auditor" | "admin";
                municipality: string | null;
                site: string | null;
                createdAt: string;
                createdBy: string;
                disabledAt: string | null;
              };
            };
          };
        };
      };
    };
  };
  "/v1/users/{username}/unlock": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          username: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              user: {
                username: string;
                role: "municipality" | "site" | "ministry" | "auditor" | "admin";
                municipality: string | null;
                site: string | null;
                createdAt: string;
                createdBy: string;
                disabledAt: string | null;
              };
            };
          };
        };
      };
    };
  };
  "/v1/vaccinations": {
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            municipality: string;
            coupon: string;
            doseNumber: number;
            date: string;
            vaccine: {
              maker: "pfizer" | "moderna" | "astrazeneca" | "novavax";
              product?: string;
              lot: string;
            };
            siteCode: string;
            commandId?: string;
          };
        };
      };
      responses: {
        201: {
          headers: { [name: string]: unknown };
          content: {
            "application/json": {
              stream: string;
              version: number;
              position: number | null;
            };
          };
        };
      };
    };
  };
}
