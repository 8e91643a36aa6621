// A shop's entry module: load the wasm (Vite emits it as an asset), then start Vitrina.
import { load, init, VitrinaError, type Vitrina, type VitrinaConfig } from "vitrina";

// Your collector's URL. (location.origin: the test serves this app from the collector itself;
// under `npm run dev` point it at a running collector started with --allow-origin for the dev
// server's origin, e.g. http://localhost:5173.)
const config: VitrinaConfig = { endpoint: location.origin, flush_interval_ms: 1000 };
await load();
let vitrina: Vitrina;
try {
  vitrina = init(config);
} catch (e) {
  // a bad config: e.field names the option
  throw e instanceof VitrinaError ? new Error(`vitrina config: ${e.field}: ${e.message}`) : e;
}
vitrina.track("Product Viewed", { product_id: "shoe-1", category: "shoes", brand: "Zap", price: 89 });
// The shop renders its grid (the SDK re-orders it by the profile before it is painted).
const grid = document.getElementById("grid")!;
for (const [id, category, brand, price] of [["bag-1", "bags", "Andes", "45"], ["shoe-1", "shoes", "Zap", "89"]]) {
  const li = document.createElement("li");
  Object.assign(li.dataset, { vitrinaProduct: id, vitrinaCategory: category, vitrinaBrand: brand, vitrinaPrice: price });
  li.textContent = id;
  grid.append(li);
}
const recs = await vitrina.recommend({ limit: 2 });
// a content slot chosen by rules: a first visit is "new"
const choice: string | null = vitrina.decide("hero", [["welcome", "new"], ["back", "returning"]]);
document.body.dataset.vitrina = `ready ${recs.length} ${choice ?? "none"}`;
vitrina.flush();
