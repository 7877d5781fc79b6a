import { ApiFailure } from './api/client';
import type { Lang } from './i18n';

const units = (minimum: unknown, lang: Lang) => {
  const m = /^(\d+) (days|months)$/.exec(String(minimum ?? ''));
  if (!m) return String(minimum ?? '');
  return lang === 'ja' ? `${m[1]}${m[2] === 'days' ? '日' : 'か月'}` : `${m[1]} ${m[2]}`;
};

type Explainer = (d: Record<string, unknown>, lang: Lang) => [ja: string, en: string];

/** Each refusal in plain words: the rule, and what would be allowed (the earliest date, the expected dose). */
const rules: Record<string, Explainer> = {
  DOSE_INTERVAL_TOO_SHORT: (d, l) => [
    `接種間隔が短すぎます。${d.previousDoseNumber}回目の接種から${units(d.minimum, l)}以上あける必要があります。最も早く接種できる日は ${d.earliest} です。`,
    `The interval is too short: dose ${d.doseNumber} must come at least ${units(d.minimum, l)} after dose ${d.previousDoseNumber}. The earliest allowed date is ${d.earliest}.`,
  ],
  DOSE_OUT_OF_ORDER: (d) => [
    d.expected ? `接種回数が順番どおりではありません。次に記録できるのは ${d.expected} 回目です。` : `接種日が前の回の接種日より前になっています。`,
    d.expected ? `Doses must be recorded in order: the next one is dose ${d.expected}.` : `The date is before the previous dose's date.`,
  ],
  SAME_DAY_DOSE: () => ['同じ日に2回の接種は記録できません。', 'Two doses cannot be given on the same day.'],
  DATE_IN_FUTURE: () => ['未来の日付は記録できません。', 'A date in the future cannot be recorded.'],
  DATE_BEFORE_BIRTH: () => ['生年月日より前の日付は記録できません。', 'The date is before the birth date.'],
  AGE_NOT_ELIGIBLE: (d) => [`このワクチンは接種日に ${d.minimumAge} 歳以上の方が対象です。`, `This vaccine is for people aged ${d.minimumAge} or over on the vaccination date.`],
  RECIPIENT_NOT_ACTIVE: () => ['この方の登録は有効ではありません（転出済みなど）。', 'This registration is not active (e.g. transferred out).'],
  DOSE_NOT_LAST: () => ['取り消せるのは最後の有効な接種だけです。', 'Only the last valid dose may be voided.'],
  INVALID_LOT: () => ['ロット番号の形式がメーカーの形式と合いません。', "The lot number does not match the maker's format."],
  REASON_REQUIRED: () => ['理由を入力してください。', 'A reason is required.'],
  NO_CHANGES: () => ['変更点がありません。', 'Nothing would change.'],
  RECIPIENT_NOT_FOUND: () => ['該当する登録がありません。', 'No such registration.'],
  MY_NUMBER_ALREADY_ACTIVE: () => ['この個人番号は別の登録で有効です。', 'This My Number is active in another registration.'],
  INVALID_MY_NUMBER: () => ['個人番号は12桁で、検査用数字が正しい必要があります。', 'A My Number is 12 digits with a valid check digit.'],
  ALREADY_REGISTERED: () => ['この券番号はすでに登録されています。', 'This coupon number is already registered.'],
  DATE_BEFORE_PRODUCT_AVAILABLE: () => ['このワクチンが国内で使われ始める前の日付です。', 'The date is before this vaccine was available in Japan.'],
  FORBIDDEN: () => ['この操作は許可されていません。', 'You may not do this.'],
  CSRF_TOKEN_INVALID: () => ['画面を再読み込みしてからやり直してください。', 'Reload the page and try again.'],
  SIGN_IN_FAILED: () => ['ユーザー名またはパスワードが違います。', 'The username or password is wrong.'],
  SIGN_IN_LOCKED: (d) => [
    `サインインの失敗が続いたため、このユーザーは一時的にロックされています。約${Math.ceil(Number(d.retryAfterSeconds ?? 900) / 60)}分後に再度お試しください。`,
    `Too many failed sign-ins: this user is locked for about ${Math.ceil(Number(d.retryAfterSeconds ?? 900) / 60)} minutes.`,
  ],
  SIGN_IN_RATE_LIMITED: () => ['この端末からのサインイン失敗が多すぎます。しばらくしてから再度お試しください。', 'Too many failed sign-ins from here; try again later.'],
  USER_EXISTS: () => ['同じユーザー名がすでにあります。', 'A user with this name exists.'],
  UNAUTHENTICATED: () => ['サインインが切れました。もう一度サインインしてください。', 'Your session has ended; sign in again.'],
  IMAGE_UNREADABLE: () => ['画像を読み取れませんでした。', 'The image could not be read.'],
  UNSUPPORTED_IMAGE: () => ['この画像形式には対応していません（JPEG・PNGを使ってください）。', 'Unsupported image format (use JPEG or PNG).'],
};

/** The message to show for an error: the rule in plain words (Japanese or English), the code beside it. */
export const explain = (e: unknown, lang: Lang): { text: string; code?: string } => {
  if (!(e instanceof ApiFailure)) return { text: lang === 'ja' ? '予期しないエラーが発生しました。' : 'Something went wrong.' };
  const rule = rules[e.code];
  if (rule) {
    const [ja, en] = rule(e.details ?? {}, lang);
    return { text: lang === 'ja' ? ja : en, code: e.code };
  }
  return { text: lang === 'ja' ? `入力内容を確認してください: ${e.message}` : e.message, code: e.code };
};
