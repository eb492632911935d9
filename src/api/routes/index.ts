/** The built-in resource modules; each adds its routes under /api/v1. Add a module here (or pass it to buildApp). */
import type { RouteModule } from '../types.ts';
import { registerAccountRoutes } from './accounts-routes.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { registerCustomerLinkRoutes } from './customer-links-routes.ts';
import { registerForecastRoutes } from './forecast-routes.ts';
import { registerImportRoutes } from './imports-routes.ts';
import { registerPlaybookRoutes } from './playbook-routes.ts';
import { registerPolicyRoutes } from './policy-routes.ts';
import { registerProposalRoutes } from './proposals-routes.ts';
import { registerRenewalRoutes } from './renewals-routes.ts';
import { registerSignatureWebhookRoutes } from './signature-webhook-routes.ts';
import { registerStakeholderRoutes } from './stakeholders-routes.ts';
import { registerTaskRoutes } from './tasks-routes.ts';
import { registerUserRoutes } from './users-routes.ts';
import { registerWebhookRoutes } from './webhooks-routes.ts';
import { registerWorkspaceRoutes } from './workspace-routes.ts';

export const API_ROUTE_MODULES: readonly RouteModule[] = [
  registerAuthRoutes,
  registerAccountRoutes,
  registerStakeholderRoutes,
  registerRenewalRoutes,
  registerTaskRoutes,
  registerPolicyRoutes,
  registerImportRoutes,
  registerUserRoutes,
  registerWebhookRoutes,
  registerAuditRoutes,
  registerWorkspaceRoutes,
  registerProposalRoutes,
  registerForecastRoutes,
  registerCustomerLinkRoutes,
  registerSignatureWebhookRoutes,
  registerPlaybookRoutes,
];
