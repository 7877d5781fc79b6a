import type { Maker } from './vaccines.js';

/**
 * The first day each product was given in Japan: a dose dated before it is a typing error (a Pfizer dose dated
 * 1995 reached the open data), refused as DATE_BEFORE_PRODUCT_AVAILABLE. The one table of these dates; the
 * earliest documented public use, so no real record is refused.
 */
export const productFirstUseInJapan: Readonly<Record<Maker, string>> = {
  // コミナティ: health-care workers from Wed 2021-02-17 (Jiji Press, "COVID-19 Vaccinations Begin in Japan",
  // nippon.com/en/news/yjj2021021700144, 2021-02-17; approved 2021-02-14).
  pfizer: '2021-02-17',
  // スパイクバックス (Moderna/Takeda): the SDF large-scale centres in Tokyo and Osaka opened Mon 2021-05-24
  // (NHK World 20210524_18; Japan Times 2021-05-24), whose doctors and nurses had their own shots the day before,
  // Sun 2021-05-23 (Japan Times, same article, citing the Defense Ministry): that day is the first use.
  moderna: '2021-05-23',
  // バキスゼブリア: approved 2021-05-21 but held back; first given in Osaka on Mon 2021-08-23
  // (Jiji Press, "Japan Starts Administering AstraZeneca Vaccine", nippon.com/en/news/yjj2021082300106).
  astrazeneca: '2021-08-23',
  // ヌバキソビッド (Novavax/Takeda): approved 2022-04-19, "vaccinations expected to start in late May at the earliest"
  // (japanbullet.com, "Japan Officially Approves Novavax Covid-19 Vaccine"); in the public programme from 2022-05-25
  // (MHLW, 予防接種法上の臨時接種への位置付け; not re-checked here).
  novavax: '2022-05-25',
};

/** Whether `date` (YYYY-MM-DD) is on or after the product's first use in Japan. */
export const productAvailableOn = (maker: Maker, date: string): boolean => date >= productFirstUseInJapan[maker];
