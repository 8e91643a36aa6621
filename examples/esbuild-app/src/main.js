// esbuild keeps new URL("vitrina_raw_bg.wasm", import.meta.url) as it is: the build copies the
// wasm next to the bundle (see package.json), where that URL points.
import { load, init } from "vitrina";

await load();
// Your collector's URL (location.origin: the test serves this app from the collector itself).
const vitrina = init({ endpoint: location.origin, flush_interval_ms: 1000 });
vitrina.track("Product Viewed", { product_id: "shoe-1", category: "shoes", brand: "Zap", price: 89 });
// The shop renders its grid (the SDK re-orders it by the profile before it is painted).
const grid = document.getElementById("grid");
for (const [id, category, brand, price] of [["bag-1", "bags", "Andes", "45"], ["shoe-1", "shoes", "Zap", "89"]]) {
  const li = document.createElement("li");
  Object.assign(li.dataset, { vitrinaProduct: id, vitrinaCategory: category, vitrinaBrand: brand, vitrinaPrice: price });
  li.textContent = id;
  grid.append(li);
}
document.body.dataset.vitrina = "ready";
vitrina.flush();
