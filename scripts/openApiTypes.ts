/**
 * TypeScript types from the server's OpenAPI document, in the shape openapi-fetch expects (`paths`). Written here
 * because openapi-typescript 7 declares a peer dependency on TypeScript 5 and this project is on TypeScript 6.
 * Covers what fastify-swagger emits from our zod schemas: objects, arrays, unions, enums, consts, nullables.
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema | Schema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  $ref?: string;
  description?: string;
};

type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};

export type OpenApiDoc = { paths?: Record<string, Record<string, Operation>> };

const key = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k));
const indent = (s: string, by: string) => s.replace(/\n/g, `\n${by}`);

export const schemaToType = (s: Schema | undefined, pad = ''): string => {
  if (!s || Object.keys(s).length === 0) return 'unknown';
  const withNull = (t: string) => (s.nullable ? `${t} | null` : t);
  if (s.$ref) return 'unknown';
  if (s.const !== undefined) return withNull(JSON.stringify(s.const));
  if (s.enum) return withNull(s.enum.map((v) => JSON.stringify(v)).join(' | '));
  if (s.anyOf || s.oneOf) return withNull((s.anyOf ?? s.oneOf)!.map((x) => schemaToType(x, pad)).join(' | '));
  if (s.allOf) return withNull(s.allOf.map((x) => `(${schemaToType(x, pad)})`).join(' & '));
  if (Array.isArray(s.type)) return withNull(s.type.map((t) => schemaToType({ ...s, type: t, nullable: false }, pad)).join(' | '));
  switch (s.type) {
    case 'string':
      return withNull('string');
    case 'number':
    case 'integer':
      return withNull('number');
    case 'boolean':
      return withNull('boolean');
    case 'null':
      return 'null';
    case 'array': {
      const items = Array.isArray(s.items) ? `[${s.items.map((i) => schemaToType(i, pad)).join(', ')}]` : `(${schemaToType(s.items, pad)})[]`;
      return withNull(items);
    }
    case 'object':
    case undefined: {
      if (!s.properties && s.type === undefined) return withNull('unknown');
      const inner = `${pad}  `;
      const required = new Set(s.required ?? []);
      const lines = Object.entries(s.properties ?? {}).map(([k, v]) => `${inner}${key(k)}${required.has(k) ? '' : '?'}: ${schemaToType(v, inner)};`);
      if (s.additionalProperties) {
        lines.push(`${inner}[key: string]: ${s.additionalProperties === true ? 'unknown' : schemaToType(s.additionalProperties, inner)};`);
      }
      if (lines.length === 0) return withNull('Record<string, unknown>');
      return withNull(`{\n${lines.join('\n')}\n${pad}}`);
    }
    default:
      return 'unknown';
  }
};

const paramsBlock = (op: Operation, where: string, pad: string) => {
  const ps = (op.parameters ?? []).filter((p) => p.in === where);
  if (ps.length === 0) return `${key(where)}?: never;`;
  const optional = ps.every((p) => !p.required) ? '?' : '';
  const body = ps.map((p) => `${pad}  ${key(p.name)}${p.required ? '' : '?'}: ${schemaToType(p.schema, `${pad}  `)};`).join('\n');
  return `${where}${optional}: {\n${body}\n${pad}};`;
};

const contentBlock = (content: Record<string, { schema?: Schema }> | undefined, pad: string) => {
  if (!content || Object.keys(content).length === 0) return 'content?: never;';
  const lines = Object.entries(content).map(([type, c]) => `${pad}  ${JSON.stringify(type)}: ${schemaToType(c.schema, `${pad}  `)};`);
  return `content: {\n${lines.join('\n')}\n${pad}};`;
};

const operationType = (op: Operation, pad: string) => {
  const p = `${pad}  `;
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => `${p}  ${/^\d+$/.test(status) ? status : JSON.stringify(status)}: {\n${p}    headers: { [name: string]: unknown };\n${p}    ${contentBlock(r.content, `${p}    `)}\n${p}  };`)
    .join('\n');
  const body = op.requestBody?.content
    ? `${p}requestBody${op.requestBody.required ? '' : '?'}: {\n${p}  ${contentBlock(op.requestBody.content, `${p}  `)}\n${p}};`
    : `${p}requestBody?: never;`;
  return [
    '{',
    `${p}parameters: {`,
    ...['query', 'header', 'path', 'cookie'].map((w) => `${p}  ${indent(paramsBlock(op, w, `${p}  `), '')}`),
    `${p}};`,
    body,
    `${p}responses: {`,
    responses || `${p}  default: { headers: { [name: string]: unknown }; content?: never };`,
    `${p}};`,
    `${pad}}`,
  ].join('\n');
};

/** The whole file: one `paths` interface, paths sorted so the output is stable. */
export const openApiToTypes = (doc: OpenApiDoc) => {
  const out = [
    '// Generated from the server\'s OpenAPI document by scripts/openApiTypes.ts (npm run web:api). Do not edit:',
    '// test/e2e/webApiTypes.test.ts fails when this file no longer matches the server.',
    'export interface paths {',
  ];
  for (const path of Object.keys(doc.paths ?? {}).sort()) {
    const item = doc.paths![path];
    out.push(`  ${JSON.stringify(path)}: {`);
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      if (item[method]) out.push(`    ${method}: ${operationType(item[method], '    ')};`);
    }
    out.push('  };');
  }
  out.push('}', '');
  return out.join('\n');
};
