/**
 * Latency of typical admin API calls through `app.request()` on the embedded database (PGlite) or
 * PostgreSQL — the API's own cost without the network. Run: `npx tsx hosts/admin/bench.ts [pglite|postgres]`.
 */
import { performance } from 'node:perf_hooks';
import { createAdminHarness } from './testing.ts';
import { hashPassword } from './auth/passwords.ts';
import { insertUser } from './store/users.ts';

const kind = process.argv[2] === 'postgres' ? 'postgres' : 'pglite';
const h = await createAdminHarness(kind, { options: { bcryptRounds: 10 } });
try {
  await h.call('POST', '/cities', { as: 'owner', body: { name: 'Алматы', slug: 'almaty' } });
  const categories = ['sofa', 'bed', 'chair', 'table', 'wardrobe'];
  const colors = ['red', 'blue', 'grey', 'white', 'black'];
  const rows = ['sku,name,description,price,category,color,material,image_url,is_available'];
  for (let i = 0; i < 500; i++)
    rows.push(
      `BN-${1000 + i},Товар ${i} ${['диван', 'кровать', 'стул', 'стол', 'шкаф'][i % 5]},,${20000 + i * 500},${categories[i % 5]},${colors[i % 5]},,,true`,
    );
  await h.call('POST', '/products/import?city=almaty', {
    as: 'admin',
    raw: rows.join('\n'),
    headers: { 'content-type': 'text/csv' },
  });

  async function measure(name: string, n: number, call: () => Promise<Response>) {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const res = await call();
      await res.arrayBuffer();
      if (res.status >= 400) throw new Error(`${name}: ${res.status}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
    console.log(`${name.padEnd(42)} n=${n}  p50 ${p(0.5)} ms  p95 ${p(0.95)} ms`);
  }
  console.log(`admin API on ${kind} (500 products)`);
  await measure('GET /products?city=almaty&limit=20', 300, () =>
    h.call('GET', '/products?city=almaty&limit=20', { as: 'viewer' }),
  );
  await measure('GET /products/search?q=диван красный', 300, () =>
    h.call('GET', `/products/search?city=almaty&q=${encodeURIComponent('диван красный')}`, { as: 'viewer' }),
  );
  await measure('GET /escalations?status=pending', 300, () =>
    h.call('GET', '/escalations?status=pending', { as: 'viewer' }),
  );
  await measure('GET /analytics (7 days)', 100, () => h.call('GET', '/analytics', { as: 'viewer' }));
  await measure('PUT /products/:id (audited)', 200, async () => {
    const id = (await h.t.db.selectFrom('products').select('id').limit(1).executeTakeFirstOrThrow()).id;
    return h.call('PUT', `/products/${id}`, { as: 'admin', body: { price: 50000 + Math.floor(Math.random() * 1000) } });
  });
  await insertUser(h.t.db, {
    email: 'bench@zeta.test',
    name: 'Bench',
    role: 'viewer',
    passwordHash: await hashPassword('bench password 10', 10),
  });
  // 10 login attempts per e-mail per 15 min is the brute-force limit
  await measure('POST /auth/login (bcrypt cost 10)', 9, () =>
    h.call('POST', '/auth/login', { body: { email: 'bench@zeta.test', password: 'bench password 10' } }),
  );
} finally {
  await h.close();
}
