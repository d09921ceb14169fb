/**
 * Who may call a route, as a table: for each route the callers allowed (any 2xx), those refused
 * (403 `FORBIDDEN`, a problem document) and none at all (401 `UNAUTHENTICATED`), one test each.
 * The shape the access and authorisation tests share, with the callers they share.
 */
import { describe, expect, it } from 'vitest';

/**
 * The callers the access tables name, each with a token made by `token`: a policy advisor of
 * each region, a municipality officer of Apeldoorn (Midden-IJssel/Oost-Veluwe) and of Zwolle
 * (IJsselland), an auditor and Apeldoorn's case system.
 */
export async function regionalCallers(token: (name: string, role: string, scope?: string) => Promise<string>) {
  return {
    advisorIJ: await token('Anna (RSJ IJsselland)', 'policy-advisor', 'ijsselland'),
    advisorMJ: await token('Bert (Zorgregio)', 'policy-advisor', 'midden-ijssel-oost-veluwe'),
    officerApeldoorn: await token('Carla (Apeldoorn)', 'municipality-officer', 'apeldoorn'),
    officerZwolle: await token('Dirk (Zwolle)', 'municipality-officer', 'zwolle'),
    auditor: await token('Eva (rekenkamer)', 'auditor'),
    caseSystem: await token('Zaaksysteem Apeldoorn', 'case-system'),
  };
}

/** A route, called as `who`, with the callers it allows and those it refuses. */
export interface AccessRoute<Who> {
  name: string;
  call: (who: Who | 'nobody') => Promise<Response>;
  allowed: Who[];
  denied: Who[];
}

/** One `describe` a route (`title` with `$name`): its allowed, its refused, and no identity. */
export function describeAccess<Who>(title: string, routes: AccessRoute<Who>[]) {
  describe.each(routes)(title, (route) => {
    it.each(route.allowed)('is allowed for %s', async (who) => {
      const res = await route.call(who);
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    });

    it.each(route.denied)('is forbidden (403) for %s', async (who) => {
      const res = await route.call(who);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await res.json()).code).toBe('FORBIDDEN');
    });

    it('needs an identity (401)', async () => {
      const res = await route.call('nobody');
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('UNAUTHENTICATED');
    });
  });
}
