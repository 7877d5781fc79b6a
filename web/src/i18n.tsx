import { createContext, useContext, useState, type ReactNode } from 'react';

const ja = {
  appName: 'VRS コンソール', signIn: 'サインイン', signOut: 'サインアウト', username: 'ユーザー名', password: 'パスワード',
  language: 'English', roleMunicipality: '自治体', roleSite: '接種会場', roleMinistry: '国（厚生労働省）', roleAuditor: '監査', roleAdmin: '管理者',
  search: '検索', person: '接種状況', transfer: '転入', import: 'CSV取込', export: '台帳出力', scan: '接種券読取', review: '確認待ち',
  dashboard: 'ダッシュボード', opendata: 'オープンデータ', history: '履歴', accessLog: 'アクセス記録', signIns: 'サインイン記録',
  users: 'ユーザー', projections: 'リードモデル',
  nameKana: '氏名（カナ）前方一致', birthDate: '生年月日', coupon: '券番号', status: '状態', any: 'すべて',
  active: '有効', transferredOut: '転出', erased: '消去済み', results: '件', next: '次へ', noResults: '該当なし',
  freshness: '検索結果は記録位置 {n} 時点のものです', open: '開く', name: '氏名', sex: '性別', dose: '回目', date: '接種日',
  maker: 'メーカー', lot: 'ロット', siteCode: '会場コード', source: '記録方法', nextEligible: '次回接種可能日', none: 'なし',
  recordDose: '接種を記録', correctDose: '接種を訂正', voidDose: '接種を取消', correctDetails: '本人情報を訂正', reason: '理由',
  submit: '送信', cancel: '閉じる', recorded: '記録しました', corrected: '訂正しました', voided: '取り消しました',
  doseNumber: '回数', field: '項目', newValue: '新しい値', address: '住所',
  myNumber: '個人番号（マイナンバー）', lookUp: '照会', registrationsElsewhere: '他自治体の登録', takeOver: 'この登録を引き継ぐ',
  consent: '本人の同意', consentInPerson: '窓口で確認', consentWritten: '書面', consentOnline: 'オンライン',
  newCoupon: '新しい券番号', addressNumber: '宛名番号', transferred: '転入を登録しました',
  csvFile: 'CSVファイル', upload: '取り込む', progress: '送信中 {p}%', imported: '登録 {n} 件', duplicates: '重複 {n} 件', rejected: '不備 {n} 件',
  line: '行', problem: '内容', encoding: '文字コード', download: 'ダウンロード',
  couponPhoto: '接種券の写真', takePhoto: 'カメラで撮影またはファイルを選択', dropHere: 'ここに画像をドロップ', read: '読み取り結果',
  method: '読取方法', needsReview: '確認が必要です', recordedDose: '接種を記録しました', typeLine: '券面の18桁を入力', resolve: '確定',
  reviewEmpty: '確認待ちはありません', why: '理由',
  dosesToday: '本日の接種回数', live: 'ライブ更新中', dosesPerDay: '日別接種回数（回数別）', byPrefecture: '都道府県別',
  prefecture: '都道府県', count: '件数', ageBand: '年齢区分', medicalWorker: '医療従事者', yes: 'はい', no: 'いいえ', from: '開始日', to: '終了日',
  municipality: '自治体コード', asOf: '時点', showAsOf: 'この時点の状態', who: '誰が', when: 'いつ', what: '何を', state: '状態',
  record: '記録（ストリーム）', actor: '操作者', endpoint: '操作', at: '日時', outcome: '結果',
  role: '役割', site: '会場', addUser: 'ユーザーを追加', disable: '無効化', disabled: '無効', unlock: 'ロック解除', unlocked: 'ロックを解除しました', generatedPassword: '初期パスワード（一度だけ表示）',
  lag: '遅れ', position: '位置', rebuild: '再構築', rebuilding: '再構築中', seconds: '秒', positionsBehind: '未反映',
  loading: '読み込み中…', error: 'エラー', rule: 'ルール', code: 'コード',
};
export type Key = keyof typeof ja;

const en: Record<Key, string> = {
  appName: 'VRS console', signIn: 'Sign in', signOut: 'Sign out', username: 'Username', password: 'Password',
  language: '日本語', roleMunicipality: 'Municipality', roleSite: 'Vaccination site', roleMinistry: 'Ministry', roleAuditor: 'Auditor', roleAdmin: 'Admin',
  search: 'Search', person: 'Status', transfer: 'Transfer in', import: 'CSV import', export: 'Ledger export', scan: 'Scan coupon', review: 'Review queue',
  dashboard: 'Dashboard', opendata: 'Open data', history: 'History', accessLog: 'Access log', signIns: 'Sign-in log',
  users: 'Users', projections: 'Read models',
  nameKana: 'Name (kana) prefix', birthDate: 'Birth date', coupon: 'Coupon number', status: 'Status', any: 'Any',
  active: 'Active', transferredOut: 'Transferred out', erased: 'Erased', results: 'results', next: 'Next', noResults: 'No match',
  freshness: 'Results reflect the ledger up to position {n}', open: 'Open', name: 'Name', sex: 'Sex', dose: 'Dose', date: 'Date',
  maker: 'Maker', lot: 'Lot', siteCode: 'Site code', source: 'Source', nextEligible: 'Next eligible date', none: 'None',
  recordDose: 'Record dose', correctDose: 'Correct dose', voidDose: 'Void dose', correctDetails: 'Correct personal details', reason: 'Reason',
  submit: 'Submit', cancel: 'Close', recorded: 'Recorded', corrected: 'Corrected', voided: 'Voided',
  doseNumber: 'Dose number', field: 'Field', newValue: 'New value', address: 'Address',
  myNumber: 'My Number', lookUp: 'Look up', registrationsElsewhere: 'Registrations elsewhere', takeOver: 'Take over this registration',
  consent: "The person's consent", consentInPerson: 'In person', consentWritten: 'Written', consentOnline: 'Online',
  newCoupon: 'New coupon number', addressNumber: 'Address number', transferred: 'Transfer recorded',
  csvFile: 'CSV file', upload: 'Import', progress: 'Uploading {p}%', imported: 'Imported {n}', duplicates: 'Duplicates {n}', rejected: 'Rejected {n}',
  line: 'Line', problem: 'Problem', encoding: 'Encoding', download: 'Download',
  couponPhoto: 'Coupon photo', takePhoto: 'Take a photo or choose a file', dropHere: 'Drop an image here', read: 'What was read',
  method: 'Method', needsReview: 'Needs review', recordedDose: 'Dose recorded', typeLine: 'Type the 18-digit line', resolve: 'Resolve',
  reviewEmpty: 'Nothing waits for review', why: 'Why',
  dosesToday: 'Doses today', live: 'Live', dosesPerDay: 'Doses per day by dose number', byPrefecture: 'By prefecture',
  prefecture: 'Prefecture', count: 'Count', ageBand: 'Age band', medicalWorker: 'Medical worker', yes: 'Yes', no: 'No', from: 'From', to: 'To',
  municipality: 'Municipality code', asOf: 'As of', showAsOf: 'State as of this time', who: 'Who', when: 'When', what: 'What', state: 'State',
  record: 'Record (stream)', actor: 'Actor', endpoint: 'Operation', at: 'At', outcome: 'Outcome',
  role: 'Role', site: 'Site', addUser: 'Add user', disable: 'Disable', disabled: 'Disabled', unlock: 'Unlock', unlocked: 'Unlocked', generatedPassword: 'Initial password (shown once)',
  lag: 'Lag', position: 'Position', rebuild: 'Rebuild', rebuilding: 'Rebuilding', seconds: 's', positionsBehind: 'Behind',
  loading: 'Loading…', error: 'Error', rule: 'Rule', code: 'Code',
};

export type Lang = 'ja' | 'en';
const dictionaries: Record<Lang, Record<Key, string>> = { ja, en };
type I18n = { lang: Lang; setLang: (l: Lang) => void; t: (k: Key, vars?: Record<string, string | number>) => string };
const Ctx = createContext<I18n | null>(null);

const initialLang = (): Lang => {
  try {
    // The language choice is the only thing the console keeps in storage: nothing personal.
    return localStorage.getItem('vrs.lang') === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
};

export const I18nProvider = ({ children }: { children: ReactNode }) => {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = (l: Lang) => {
    setLangState(l);
    document.documentElement.lang = l;
    try {
      localStorage.setItem('vrs.lang', l);
    } catch {
      /* private mode */
    }
  };
  const t = (k: Key, vars?: Record<string, string | number>) =>
    dictionaries[lang][k].replace(/\{(\w+)\}/g, (_, v: string) => String(vars?.[v] ?? ''));
  return <Ctx.Provider value={{ lang, setLang, t }}>{children}</Ctx.Provider>;
};

export const useI18n = () => {
  const c = useContext(Ctx);
  if (!c) throw new Error('I18nProvider missing');
  return c;
};
