import type * as v from 'valibot';

/** The slice of JSON Schema (OpenAPI 3.1 dialect) our documents use. */
export type JsonSchema = {
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
  $ref?: string;
  nullable?: never;
};

type Node = {
  type: string;
  kind?: string;
  pipe?: readonly Node[];
  wrapped?: Node;
  entries?: Record<string, Node>;
  item?: Node;
  options?: readonly unknown[];
  literal?: unknown;
  key?: Node;
  value?: Node;
  requirement?: unknown;
  metadata?: { openapi?: JsonSchema };
  description?: string;
  default?: unknown;
  rest?: Node;
};

const OPTIONAL = new Set(['optional', 'exact_optional', 'nullish', 'undefinedable']);

/**
 * valibot → JSON Schema for the OpenAPI document, so one schema validates a request and documents
 * it. Covers the schemas and actions this API uses; anything else is described as "any".
 */
export function toJsonSchema(schema: v.GenericSchema): JsonSchema {
  return convert(schema as unknown as Node);
}

function convert(node: Node): JsonSchema {
  const base = convertBase(node);
  for (const action of node.pipe?.slice(1) ?? []) applyAction(base, action);
  return base;
}

function convertBase(node: Node): JsonSchema {
  switch (node.type) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'null':
      return { type: 'null' };
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'literal':
      return { const: node.literal };
    case 'picklist':
    case 'enum':
      return { enum: node.options ?? [] };
    case 'array':
      return { type: 'array', items: node.item ? convert(node.item) : {} };
    case 'object':
    case 'strict_object':
    case 'loose_object':
    case 'object_with_rest':
      return convertObject(node);
    case 'record':
      return { type: 'object', additionalProperties: node.value ? convert(node.value) : true };
    case 'optional':
    case 'exact_optional':
    case 'undefinedable':
      return withDefault(convert(node.wrapped!), node.default);
    case 'nullable':
    case 'nullish':
      return { anyOf: [convert(node.wrapped!), { type: 'null' }] };
    case 'union':
    case 'variant':
      return { anyOf: (node.options as Node[]).map(convert) };
    default:
      return {};
  }
}

function withDefault(schema: JsonSchema, value: unknown): JsonSchema {
  return value === undefined || typeof value === 'function' ? schema : { ...schema, default: value };
}

function convertObject(node: Node): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, entry] of Object.entries(node.entries ?? {})) {
    properties[key] = convert(entry);
    if (!OPTIONAL.has(entry.type)) required.push(key);
  }
  return {
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    ...(node.type === 'strict_object' ? { additionalProperties: false } : {}),
  };
}

function applyAction(target: JsonSchema, action: Node): void {
  const req = action.requirement;
  const isArray = target.type === 'array';
  switch (action.type) {
    case 'min_length':
      if (isArray) target.minItems = req as number;
      else target.minLength = req as number;
      break;
    case 'max_length':
      if (isArray) target.maxItems = req as number;
      else target.maxLength = req as number;
      break;
    case 'min_value':
      target.minimum = req as number;
      break;
    case 'max_value':
      target.maximum = req as number;
      break;
    case 'gt_value':
      target.exclusiveMinimum = req as number;
      break;
    case 'lt_value':
      target.exclusiveMaximum = req as number;
      break;
    case 'integer':
      target.type = 'integer';
      break;
    case 'regex':
      target.pattern = (req as RegExp).source;
      break;
    case 'email':
      target.format = 'email';
      break;
    case 'uuid':
      target.format = 'uuid';
      break;
    case 'url':
      target.format = 'uri';
      break;
    case 'description':
      target.description = action.description;
      break;
    case 'metadata':
      if (action.metadata?.openapi) {
        // a query helper parses text into something else: document what the caller sends
        for (const key of Object.keys(target)) delete target[key as keyof JsonSchema];
        Object.assign(target, action.metadata.openapi);
      }
      break;
    default:
      break;
  }
}
