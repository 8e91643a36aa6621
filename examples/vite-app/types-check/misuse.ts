// Compiled by `tsc --noEmit` only (not part of the app; drop this folder in your copy): the public types reject what the SDK
// rejects, so a loose .d.ts fails the example's build.
import { init, type Vitrina } from "vitrina";

export function misuse(v: Vitrina) {
  // @ts-expect-error an unknown option
  init({ endpoint: "https://c.example", flush_every: 5 });
  // @ts-expect-error the endpoint is required
  init({});
  // @ts-expect-error consent_mode is "opt_in" | "opt_out"
  init({ endpoint: "https://c.example", consent_mode: "maybe" });
  // @ts-expect-error a rating is a number
  v.submitReview("p1", { rating: "five" });
  // @ts-expect-error profile() may be null
  v.profile().categories;
  const p: Promise<{ id: string | number }[]> = v.recommend({ limit: 4, exclude: ["a"], context_product: "b" });
  v.setConsent({ analytics: true, personalization: false, surveys: true });
  v.push(["track", "Signed Up", { plan: "pro" }]);
  return p;
}
