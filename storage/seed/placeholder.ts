/**
 * Placeholder product images, drawn locally as SVG from the product itself (no network, no
 * files): a colour swatch background, a simple silhouette per category, the name and SKU. The
 * host serves them at `/media/placeholder/<sku>.svg`.
 */
const COLOR_HEX: Record<string, string> = {
  red: '#c0392b',
  blue: '#2c5fa8',
  lightblue: '#8ec5ea',
  green: '#4f8a5b',
  yellow: '#e5b83b',
  orange: '#e07b39',
  pink: '#e8a0b4',
  purple: '#7d5ba6',
  brown: '#7a5134',
  beige: '#d8c3a5',
  white: '#f4f1ec',
  black: '#2b2b2b',
  grey: '#8e9398',
  navy: '#1f2f56',
  turquoise: '#2aa7a0',
  burgundy: '#7b2139',
  cream: '#efe4cc',
  walnut: '#6b4a2f',
  oak: '#b88b57',
};

// silhouettes on a 200×120 canvas
const SHAPES: Record<string, string> = {
  sofa: '<rect x="20" y="40" width="160" height="45" rx="10"/><rect x="10" y="55" width="25" height="40" rx="8"/><rect x="165" y="55" width="25" height="40" rx="8"/><rect x="30" y="95" width="8" height="12"/><rect x="162" y="95" width="8" height="12"/>',
  armchair:
    '<rect x="60" y="25" width="80" height="55" rx="12"/><rect x="45" y="55" width="25" height="45" rx="8"/><rect x="130" y="55" width="25" height="45" rx="8"/><rect x="65" y="80" width="70" height="20" rx="6"/>',
  bed: '<rect x="20" y="30" width="20" height="75" rx="4"/><rect x="35" y="65" width="150" height="30" rx="6"/><rect x="45" y="55" width="40" height="14" rx="6"/>',
  chair:
    '<rect x="75" y="15" width="50" height="50" rx="6"/><rect x="70" y="62" width="60" height="12" rx="3"/><rect x="74" y="74" width="6" height="36"/><rect x="120" y="74" width="6" height="36"/>',
  table:
    '<rect x="20" y="40" width="160" height="12" rx="3"/><rect x="35" y="52" width="8" height="55"/><rect x="157" y="52" width="8" height="55"/>',
  desk: '<rect x="20" y="40" width="160" height="10" rx="2"/><rect x="120" y="50" width="55" height="55"/><rect x="28" y="50" width="8" height="55"/>',
  wardrobe:
    '<rect x="55" y="8" width="90" height="104" rx="3"/><line x1="100" y1="8" x2="100" y2="112" stroke="#0003" stroke-width="3"/>',
  dresser:
    '<rect x="40" y="25" width="120" height="80" rx="3"/><line x1="40" y1="52" x2="160" y2="52" stroke="#0003" stroke-width="3"/><line x1="40" y1="78" x2="160" y2="78" stroke="#0003" stroke-width="3"/>',
  shelf:
    '<rect x="60" y="8" width="8" height="104"/><rect x="132" y="8" width="8" height="104"/><rect x="60" y="20" width="80" height="6"/><rect x="60" y="55" width="80" height="6"/><rect x="60" y="90" width="80" height="6"/>',
  nightstand:
    '<rect x="65" y="45" width="70" height="55" rx="3"/><line x1="65" y1="72" x2="135" y2="72" stroke="#0003" stroke-width="3"/>',
  kitchen:
    '<rect x="15" y="10" width="170" height="35" rx="2"/><rect x="15" y="60" width="170" height="50" rx="2"/><rect x="15" y="56" width="170" height="6" fill="#0004"/>',
  mattress:
    '<rect x="20" y="55" width="160" height="30" rx="10"/><line x1="30" y1="70" x2="170" y2="70" stroke="#0002" stroke-width="2"/>',
  pouf: '<ellipse cx="100" cy="60" rx="45" ry="14"/><rect x="55" y="60" width="90" height="35"/><ellipse cx="100" cy="95" rx="45" ry="10"/>',
  tv_stand:
    '<rect x="20" y="65" width="160" height="35" rx="3"/><rect x="55" y="15" width="90" height="45" rx="3" fill="#222"/>',
  hallway:
    '<rect x="30" y="10" width="60" height="100" rx="3"/><rect x="100" y="10" width="70" height="70" rx="3" fill="#cfe3ee"/><rect x="100" y="85" width="70" height="25" rx="3"/>',
  kids: '<rect x="25" y="45" width="150" height="40" rx="6"/><rect x="25" y="25" width="10" height="75"/><rect x="165" y="25" width="10" height="75"/><circle cx="60" cy="35" r="8"/>',
};

export type PlaceholderInput = { sku: string; name?: string; category?: string | null; color?: string | null };

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

const CATEGORY_BY_PREFIX: Record<string, string> = {
  SOFA: 'sofa',
  ARM: 'armchair',
  BED: 'bed',
  CHR: 'chair',
  TBL: 'table',
  DESK: 'desk',
  WRD: 'wardrobe',
  DRS: 'dresser',
  SHLF: 'shelf',
  NST: 'nightstand',
  KIT: 'kitchen',
  MATR: 'mattress',
  POUF: 'pouf',
  TVS: 'tv_stand',
  HALL: 'hallway',
  KIDS: 'kids',
};

/** The image for a product; with only a SKU the category is guessed from its prefix. */
export function placeholderSvg(p: PlaceholderInput): string {
  const category = p.category ?? CATEGORY_BY_PREFIX[p.sku.split('-')[0] ?? ''] ?? 'sofa';
  const fill = COLOR_HEX[p.color ?? ''] ?? '#9aa5b1';
  const light = ['white', 'cream', 'beige', 'lightblue', 'yellow', 'pink'].includes(p.color ?? '');
  const shape = SHAPES[category] ?? SHAPES.sofa!;
  const name = p.name ? escapeXml(p.name.length > 48 ? `${p.name.slice(0, 47)}…` : p.name) : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 200 150" role="img" aria-label="${name || escapeXml(p.sku)}">` +
    `<rect width="200" height="150" fill="${light ? '#5b6570' : '#f3f0ea'}"/>` +
    `<g fill="${fill}" stroke="${light ? '#0005' : 'none'}" stroke-width="1">${shape}</g>` +
    `<text x="100" y="128" font-family="sans-serif" font-size="7" text-anchor="middle" fill="${light ? '#fff' : '#333'}">${name}</text>` +
    `<text x="100" y="141" font-family="monospace" font-size="7" text-anchor="middle" fill="${light ? '#ddd' : '#777'}">${escapeXml(p.sku)}</text>` +
    `</svg>`
  );
}
