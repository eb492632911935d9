/**
 * Links that leave Perennial: the unsubscribe link in customer emails and each user's calendar feed.
 * Neither caller can sign in (a customer's mail client, a calendar app), so each link carries its own
 * credential: a signed unsubscribe token, or a random calendar secret of which only the sha256 is kept.
 */
import { z } from 'zod';
import { ALL_ROLES } from '../../auth/roles.ts';
import { randomSecret, sha256Hex } from '../../auth/secrets.ts';
import { addDays } from '../../domain/calendar.ts';
import { writeAuditEntry } from '../../engine/queries/audit-trail.ts';
import { tenantToday } from '../../engine/queries/tenant-today.ts';
import { mailSettingsFrom } from '../../mail/mail-settings.ts';
import { renderCalendar } from '../../mail/render-calendar.ts';
import { readUnsubscribeToken, recordOptOut } from '../../mail/unsubscribe-token.ts';
import { allow, publicRoute } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const TokenQuery = z.object({ token: z.string().min(10).max(1000) });

function page(title: string, body: string): string {
  const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">
<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function registerCustomerLinkRoutes(app: ApiApp, deps: ApiDeps): void {
  const { unsubscribeSecret } = mailSettingsFrom(deps.config);
  app.get(
    '/unsubscribe',
    {
      schema: {
        operationId: 'showUnsubscribe',
        tags: ['customer links'],
        summary: 'The page behind the unsubscribe link: asks to confirm (a GET never unsubscribes)',
        querystring: TokenQuery,
      },
      config: {
        access: publicRoute(
          'customers follow this link from renewal emails; the signed token is the credential',
        ),
      },
    },
    async (request, reply) => {
      const { token } = request.query as z.infer<typeof TokenQuery>;
      const named = readUnsubscribeToken({ secret: unsubscribeSecret, token });
      reply.type('text/html; charset=utf-8');
      if (!named)
        return reply
          .code(400)
          .send(page('This link is not valid', '<p>Please use the link from your latest email.</p>'));
      return reply.send(
        page(
          'Stop renewal reminders?',
          `<p>We will stop sending automated renewal reminders to ${named.email.replace(/[<>&"]/g, '')}.</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Stop reminders</button></form>`,
        ),
      );
    },
  );

  // RFC 8058 one-click unsubscribe posts `List-Unsubscribe=One-Click` as a form: only this route,
  // in its own scope, accepts form bodies.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scope.post(
      '/unsubscribe',
      {
        schema: {
          operationId: 'unsubscribe',
          tags: ['customer links'],
          summary: 'Opt the address out of automated renewal emails (RFC 8058 one-click)',
          querystring: TokenQuery,
          response: { 200: z.string().describe('an HTML confirmation page'), ...problemResponses(400) },
        },
        config: {
          access: publicRoute(
            'one-click unsubscribe from mail clients (RFC 8058); the signed token is the credential',
          ),
        },
      },
      async (request, reply) => {
        const { token } = request.query as z.infer<typeof TokenQuery>;
        const named = readUnsubscribeToken({ secret: unsubscribeSecret, token });
        if (!named) throw new ApiError('invalid_request', 'This unsubscribe link is not valid');
        await deps.store.transaction(async (tx) => {
          await recordOptOut({
            session: tx,
            tenantId: named.tenantId,
            email: named.email,
            source: 'unsubscribe_link',
          });
          await writeAuditEntry(tx, {
            tenantId: named.tenantId,
            at: deps.now(),
            actor: 'customer',
            action: 'opt_out',
            entity: 'email',
            entityId: named.email,
            changes: { optedOut: { from: false, to: true } },
          });
        });
        reply.type('text/html; charset=utf-8');
        return reply.send(page('Done', '<p>You will no longer receive automated renewal reminders.</p>'));
      },
    );
  });

  app.post(
    '/me/calendar-feed',
    {
      schema: {
        operationId: 'createCalendarFeed',
        tags: ['customer links'],
        summary: 'Create (or replace) my calendar feed URL; the old URL stops working. Shown once.',
        response: { 200: z.object({ url: z.string() }), ...problemResponses(401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'write') },
    },
    async (request) => {
      const principal = principalOf(request);
      const secret = randomSecret('cal_', 24);
      await deps.store.execute(
        'UPDATE users SET calendar_token_hash = $3, updated_at = now() WHERE tenant_id = $1 AND user_id = $2',
        [principal.tenantId, principal.userId, sha256Hex(secret)],
      );
      return { url: `${deps.config.publicUrl.replace(/\/+$/, '')}/api/v1/calendar/${secret}.ics` };
    },
  );

  app.get(
    '/calendar/:file',
    {
      schema: {
        operationId: 'calendarFeed',
        tags: ['customer links'],
        summary: "A user's milestones and tasks as an iCalendar feed",
        params: z.object({ file: z.string().regex(/^cal_[\w-]+\.ics$/) }),
        response: { 200: z.string().describe('text/calendar (RFC 5545)'), ...problemResponses(404) },
      },
      config: { access: publicRoute('calendar apps cannot sign in; the URL holds a revocable secret') },
    },
    async (request, reply) => {
      const { file } = request.params as { file: string };
      const [user] = await deps.store.query<{ tenant_id: string; user_id: string }>(
        'SELECT tenant_id, user_id FROM users WHERE calendar_token_hash = $1 AND NOT disabled',
        [sha256Hex(file.slice(0, -'.ics'.length))],
      );
      if (!user) throw new ApiError('not_found', 'No such calendar feed');
      const today = await tenantToday(deps.store, user.tenant_id, deps.now());
      const ics = await renderCalendar({
        store: deps.store,
        tenantId: user.tenant_id,
        userId: user.user_id,
        from: addDays(today, -30),
        to: addDays(today, 365),
      });
      reply.type('text/calendar; charset=utf-8');
      return reply.send(ics);
    },
  );
}
