// The dev server pre-bundles dependencies, which would lose the wasm next to vitrina's glue
// (new URL("vitrina_raw_bg.wasm", import.meta.url)): leave vitrina out of it. `vite build` needs
// nothing: Rollup emits the wasm as an asset.
export default { optimizeDeps: { exclude: ["vitrina"] } };
