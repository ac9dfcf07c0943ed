export { onecRoutes, COOKIE_NAME, type OnecRoutesDeps } from './routes.ts';
export { onecAfterApply } from './afterApply.ts';
export { onecConfig, type OnecConfig } from './config.ts';
