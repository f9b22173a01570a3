// Runs the npm package binpackingjs (the peer) on BR instances and writes,
// per problem, a haicang loading request and the peer's plan in haicang's
// plan JSON, so `haicang load-plan --check` judges both solvers the same way.
//   node peer.mjs BRFILE FIRST LAST OUTDIR SUPPORT
import { readFileSync, writeFileSync } from 'node:fs';
import { pack3D } from 'binpackingjs/3d';

const [brFile, first, last, outDir, support] = process.argv.slice(2);

const tok = readFileSync(brFile, 'utf8').trim().split(/\s+/).map(Number);
let k = 0;
const next = () => tok[k++];
const np = next();
const problems = [];
for (let p = 0; p < np; p++) {
  next(); next();
  const L = next(), W = next(), H = next();
  const nt = next();
  const boxes = [];
  for (let t = 0; t < nt; t++) {
    const id = next();
    const d = [], v = [];
    for (let i = 0; i < 3; i++) { d.push(next()); v.push(next() === 1); }
    boxes.push({ id: String(id), dims: d, vertical: v, qty: next() });
  }
  problems.push({ L, W, H, boxes });
}

// binpackingjs axes: width (x), height (vertical), depth (y). Rotation r
// puts item side s vertical: WHD/DHW -> side 1 (w), HWD/DWH -> side 0 (l),
// HDW/WDH -> side 2 (h).
const upSide = [1, 0, 2, 1, 0, 2];
for (let p = Number(first); p <= Number(last); p++) {
  const pr = problems[p - 1];
  const items = [];
  for (const b of pr.boxes) {
    const allowed = [0, 1, 2, 3, 4, 5].filter((r) => b.vertical[upSide[r]]);
    for (let i = 0; i < b.qty; i++)
      items.push({ name: b.id, width: b.dims[0], height: b.dims[1], depth: b.dims[2],
                   weight: 1, allowedRotations: allowed });
  }
  const t0 = process.hrtime.bigint();
  const res = pack3D({ bins: [{ name: 'BR', width: pr.L, height: pr.H, depth: pr.W,
                                maxWeight: 1e9 }], items });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const placements = (res.packedBins[0]?.items ?? []).map((it) => ({
    carton: it.name, container: 'BR',
    x: it.position[0], y: it.position[2], z: it.position[1],
    dims_mm: [it.dimension[0], it.dimension[2], it.dimension[1]],
  }));
  // loading sequence: floor first, then upwards, back to door
  placements.sort((a, b) => a.z - b.z || a.x - b.x || a.y - b.y);
  const request = {
    containers: [{ id: 'BR', dims_mm: [pr.L, pr.W, pr.H] }],
    cartons: pr.boxes.map((b) => ({ id: b.id, dims_mm: b.dims, weight_g: 0, qty: b.qty,
                                    vertical_ok: b.vertical })),
    options: { support },
  };
  writeFileSync(`${outDir}/req-${p}.json`, JSON.stringify(request));
  writeFileSync(`${outDir}/plan-${p}.json`, JSON.stringify({ placements }));
  console.log(`${p} ${ms.toFixed(0)}`);
}
