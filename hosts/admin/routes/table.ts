import type { Api } from '../http/context.ts';
import type { Route } from '../http/route.ts';
import { analyticsRoutes } from './analytics.ts';
import { apiTokenRoutes } from './apiTokens.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { botConfigRoutes } from './botConfig.ts';
import { chatRoutes } from './chat.ts';
import { draftChatRoutes } from './draftChat.ts';
import { cityRoutes } from './cities.ts';
import { escalationRoutes } from './escalations/index.ts';
import { leadRoutes } from './leads.ts';
import { crmRoutes } from './crm.ts';
import { deadLetterRoutes } from './deadLetters.ts';
import { productRoutes } from './products/index.ts';
import { orderRoutes } from './orders/index.ts';
import { categoryRoutes } from './categories.ts';
import { attributeRoutes } from './attributes.ts';
import { promptRoutes } from './prompts.ts';
import { scenarioRoutes } from './scenarios.ts';
import { userRoutes } from './users.ts';

/**
 * THE route table: method, path, roles, summary and schemas of every admin API route. It drives
 * the router, the RBAC guard and the OpenAPI document. Static segments (`/products/search`,
 * `/escalations/stream`, `/scenarios/validate`) come before `/:id` within each area.
 */
export function routeTable(api: Api): Route[] {
  return [
    ...authRoutes(api),
    ...userRoutes(api),
    ...productRoutes(api),
    ...categoryRoutes(api),
    ...attributeRoutes(api),
    ...cityRoutes(api),
    ...botConfigRoutes(api),
    ...promptRoutes(api),
    ...scenarioRoutes(api),
    ...escalationRoutes(api),
    ...leadRoutes(api),
    ...deadLetterRoutes(api),
    ...orderRoutes(api),
    ...crmRoutes(api),
    ...analyticsRoutes(api),
    ...auditRoutes(api),
    ...chatRoutes(api),
    ...draftChatRoutes(api),
    ...apiTokenRoutes(api),
  ];
}
