/** Canonical catalog slugs (engine/catalog.ts), restated: the panel reaches the server only over HTTP. */
export const CATEGORIES = ['sofa', 'armchair', 'bed', 'chair', 'table', 'desk', 'wardrobe', 'dresser', 'shelf', 'nightstand', 'kitchen', 'mattress', 'pouf', 'tv_stand', 'hallway', 'kids'] as const;
export const COLORS = ['red', 'blue', 'lightblue', 'green', 'yellow', 'orange', 'pink', 'purple', 'brown', 'beige', 'white', 'black', 'grey', 'navy', 'turquoise', 'burgundy', 'cream', 'walnut', 'oak'] as const;
export const MATERIALS = ['leather', 'eco_leather', 'fabric', 'velour', 'velvet', 'wood', 'oak', 'pine', 'chipboard', 'mdf', 'metal', 'glass', 'rattan', 'plastic', 'marble', 'linen', 'boucle'] as const;
export const SKU_PATTERN = /^[A-Z0-9]{2,12}(?:-[A-Z0-9]{1,12}){1,3}$/;
