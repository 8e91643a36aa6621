// PROFILE=1 support for the benchmarks: a V8 CPU profile of the page between `start` and
// `print`, printed as self time by function (top 15). Without PROFILE both do nothing.
export async function startProfile(page) {
  if (!process.env.PROFILE) return null;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  return cdp;
}

export async function printProfile(cdp) {
  if (!cdp) return;
  const { profile } = await cdp.send("Profiler.stop");
  const self = new Map();
  const dt = profile.timeDeltas, byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame, k = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
    self.set(k, (self.get(k) || 0) + (dt[i] || 0) / 1000);
  });
  for (const [k, ms] of [...self].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
}
