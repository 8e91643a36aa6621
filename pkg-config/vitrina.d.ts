/** Options for `init`. Units are in the names. Unknown options are an error. */
export interface VitrinaConfig {
  /** Base URL of the collector (http or https). Batches are POSTed to `{endpoint}/v1/batch`. Required. */
  endpoint: string;
  /** The site key the collector knows this shop by: at most 64 letters, digits, `-` or `_`. Default `""`. */
  site_key?: string;
  /** Send a batch as soon as this many events are queued. Integer 1–500, default 20. */
  max_batch_events?: number;
  /** Send queued events at most this long after the first of them. Integer 100–600000 ms, default 5000. */
  flush_interval_ms?: number;
  /** Record a page view on load and on each SPA navigation (pushState, replaceState, popstate). Default true. */
  auto_page_views?: boolean;
  /** Keep the query string in page paths. Default false (queries often carry personal data). */
  capture_query?: boolean;
  /** Log every decision (queued, sent, dropped and why) to the console. Default false: silent. */
  debug?: boolean;
  /** Navigation friction detection: `false` turns it off; an object tunes or switches off signals. Default on. */
  friction?: boolean | FrictionConfig;
  /** `"opt_out"` (default): record unless refused. `"opt_in"`: nothing stored or sent before `setConsent({ analytics: true })`. */
  consent_mode?: "opt_in" | "opt_out";
  /** Treat Global Privacy Control / Do Not Track as a refusal unless the shopper explicitly agrees. Default true. */
  honor_gpc?: boolean;
  /** Extra query keys whose values are always redacted (added to email, token, password, auth, session, code, key, …). */
  sensitive_query_keys?: string[];
  /** Add a random device id that rotates at every UTC midnight (`did`). Default false. */
  device_id?: boolean;
  /** Send clicked elements' text (≤ 40 chars, scrubbed) with click findings; never inside `data-vitrina-mask`. Default false. */
  capture_text?: boolean;
  /** `true`: show the surveys the collector serves (`GET {endpoint}/v1/surveys`); or the definitions themselves. Default false. */
  surveys?: boolean | SurveyDefinition[];
  /** The on-device profile's half-life in days: an interaction weighs half as much after it (0.1–365, default 14). */
  half_life_days?: number;
  /** Cap on the stored outbox in bytes (16384–5242880, default 524288). */
  max_queue_bytes?: number;
  /** Sampling rates from 0 to 1 by event type (`page`, `track`, `friction`) or name (`"Product Viewed"`, `"dead_click"`). Default 1. */
  sampling?: Record<string, number>;
}

/** A text in one language, or in Spanish and English (the page's `<html lang>` picks). */
export type SurveyText = string | { es: string; en: string };

/** A survey (see the README's Surveys). */
export interface SurveyDefinition {
  /** Unique; at most 64 letters, digits, `-` or `_`. */
  id: string;
  /** 1 to 20 questions, asked in order unless a branch says otherwise. */
  questions: SurveyQuestion[];
  /** The thank-you step. */
  thanks?: SurveyText;
  /** When it may open: every condition given must hold. */
  targeting?: {
    url?: { exact: string } | { contains: string } | { regex: string };
    after_event?: string;
    delay_s?: number;
    min_page_views?: number;
    device?: "mobile" | "desktop" | "any";
    selector?: string;
    /** Friction signals that open it at once (a help prompt), e.g. `["rage_click", "error_click"]`. */
    friction?: string[];
  };
  caps?: { show?: "once" | "until_answered" | { max_times: number }; cooldown_days?: number; sample_percent?: number };
}

/** One question: `nps` 0–10, `csat` 1–5, `ces` 1–7, `single` / `multiple` choice (2–12 options), `text` (≤ 2000 chars). */
export interface SurveyQuestion {
  id: string;
  type: "nps" | "csat" | "ces" | "single" | "multiple" | "text";
  text: SurveyText;
  options?: SurveyText[];
  /** The first rule that matches picks the next question id, or `"thanks"`. */
  branches?: { if: { at_most: number } | { at_least: number } | { is: number }; goto: string }[];
}

/** Per-signal settings: `false` switches a signal off; numbers default to SIGNALS.md. */
export interface FrictionConfig {
  /** Default true. */
  enabled?: boolean;
  rage_click?: boolean | { min_clicks?: number; max_distance_px?: number; max_gap_ms?: number };
  dead_click?: boolean | { mutation_window_ms?: number; scroll_window_ms?: number; focus_window_ms?: number; repeat_ms?: number };
  error_click?: boolean | { window_ms?: number };
  quick_back?: boolean | { max_dwell_ms?: number };
  scroll_hunt?: boolean | { min_distance_px?: number; reversals?: number; window_ms?: number };
  field_return?: boolean;
  form_abandon?: boolean | { idle_ms?: number };
  vital?: boolean;
  long_task?: boolean | { min_duration_ms?: number };
  js_error?: boolean | { max_message_chars?: number };
}

/** The shopper's consent decisions; purposes left out keep their value. */
export interface ConsentUpdate {
  /** Events may be stored and sent. */
  analytics?: boolean;
  /** The on-device profile may be kept. */
  personalization?: boolean;
  /** Surveys may be shown. */
  surveys?: boolean;
}

/** Custom event properties: any JSON-like object (at most 16 KiB serialized). */
export type Properties = Record<string, unknown>;

/** A call as queued by the snippet: `vitrina.push(["track", "Product Viewed", { ... }])`. */
export type QueuedCall =
  | ["init", VitrinaConfig]
  | ["track", string, Properties?]
  | ["page"]
  | ["flush"]
  | ["shutdown"]
  | ["setConsent", ConsentUpdate]
  | ["resetProfile"];

/** A running instance. No method ever throws: wrong arguments are ignored and counted. */
export interface Vitrina {
  /** Records a custom event, e.g. `track("Product Viewed", { product_id: "zap-1", price: 79.95 })`. */
  track(name: string, props?: Properties): void;
  /** Records a page view for the current URL (automatic page views cover loads and SPA navigations). */
  page(): void;
  /** Sends the queued events now. */
  flush(): void;
  /** Sends what is queued (by beacon) and removes every listener, timer and history patch. */
  shutdown(): void;
  /** Records the shopper's consent (from the shop's consent banner). */
  setConsent(consent: ConsentUpdate): void;
  /** Runs a queued-style call. */
  push(call: QueuedCall): void;
  /**
   * Submits a product review. Resolves once the collector has it (`{ ok: true }`) or with every
   * problem at once, messages in the page's language. Never rejects.
   */
  submitReview(productId: string, draft: ReviewDraft): Promise<ReviewAnswer>;
  /** Draws the reviews widget of `productId` into `element` (done by itself for `[data-vitrina-reviews]`). */
  mountReviews(element: Element, productId: string, opts?: { lang?: "es" | "en" }): void;
  /** A copy of the on-device profile (for a "why am I seeing this" view); `null` when the SDK is off. Never sent anywhere. */
  profile(): Profile | null;
  /** Forgets the on-device profile, here and in storage. */
  resetProfile(): void;
  /**
   * Up to `limit` items of the page's catalog feed (`[data-vitrina-catalog]`), best first, scored
   * on the device by the profile, similarity to `context_product` and co-views. `[]` without a
   * feed, with personalization refused, or when the SDK is off. Never rejects.
   */
  recommend(opts?: RecommendOptions): Promise<CatalogItem[]>;
  /**
   * The variant of content slot `slot` shown to this shopper, chosen on the device (rules, else a
   * Thompson-sampling bandit); from the page's `[data-vitrina-slot]` markup, or from `variants`
   * (names, or `[name, rule]` pairs). The same for the whole session. `null` when there is no
   * such slot or the SDK is off.
   */
  decide(slot: string, variants?: (string | [name: string, rule: string])[]): string | null;
}

/** What `recommend` is asked. */
export interface RecommendOptions {
  /** How many (default 4, at most 100). */
  limit?: number;
  /** Product ids to leave out. */
  exclude?: string[];
  /** The product being viewed (default: the page's `[data-vitrina-detail]` product). */
  context_product?: string;
}

/** An item of the catalog feed (any other keys travel along). */
export interface CatalogItem {
  id: string | number;
  title?: string;
  url?: string;
  image?: string;
  categories?: string[] | string;
  brand?: string;
  price?: number;
  [key: string]: unknown;
}

/** The on-device profile: scores decay by half every `half_life_days`. */
export interface Profile {
  categories: { key: string; score: number }[];
  brands: { key: string; score: number }[];
  /** `0-25`, `25-50`, `50-100`, `100-200`, `200+`. */
  price_bands: { key: string; score: number }[];
  /** Product ids, newest first (at most 20). */
  recently_viewed: string[];
  cart: { product_id: string; quantity: number }[];
}

/** What the shopper wrote. Text is scrubbed (emails, phones, cards, URLs) before it is sent. */
export interface ReviewDraft {
  /** 1–5, required. */
  rating: number;
  /** At most 120 characters. */
  title?: string;
  /** Empty (a rating-only review) or 20–5000 characters. */
  body?: string;
  recommend?: boolean;
  /** 2–40 characters. */
  nickname?: string;
  /** `"es"` or `"en"` for the messages; default `<html lang>`. */
  lang?: string;
  /** Widgets: when the form was shown (`performance.timeOrigin + performance.now()`); submitting under 3 s later is refused. */
  shown_at?: number;
  /** Widgets: the hidden field only bots fill. */
  honeypot?: string;
}

export type ReviewAnswer =
  | { ok: true }
  | { ok: false; errors: { field: "rating" | "title" | "body" | "nickname" | "product_id" | "form"; code: string; message: string }[] };

/** Thrown by `init` for a bad config. `field` names the option (`"endpoint"`). */
export class VitrinaError extends Error {
  readonly name: "VitrinaError";
  /** The option at fault (`"endpoint"`, `"flush_interval_ms"`), `"config"` for a non-object. */
  readonly field: string;
}

/**
 * Loads the wasm once (before `init`); by default from `new URL("vitrina_raw_bg.wasm",
 * import.meta.url)`, or from `wasm`. Outside a browser page (server-side rendering) it resolves
 * without fetching anything.
 */
export function load(wasm?: string | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;

/**
 * Starts Vitrina. Throws `VitrinaError` naming the field when the config is invalid (field
 * `"load"` when called before `load()` has resolved). Outside a browser page it returns an
 * instance that does nothing, with one console warning.
 */
export function init(config: VitrinaConfig): Vitrina;

/** Replays `window.vitrina` calls queued by the snippet, then makes `window.vitrina` the live API. */
export function installQueue(w?: { vitrina?: QueuedCall[] | unknown }): Vitrina;

declare global {
  interface Window {
    vitrina: QueuedCall[] | Vitrina;
  }
}
