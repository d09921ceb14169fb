/**
 * A municipality officer who submits a new version of Apeldoorn's overlay every half second
 * while the load runs, and a second officer who approves it (four eyes): publishing must not
 * disturb logged evaluations.
 */
export function startPublisher(base: string, officer: string, approver: string) {
  let publishes = 0;
  let errors = 0;
  let stop = false;
  const auth = { authorization: `Bearer ${officer}`, 'content-type': 'application/json' };
  const get = async (path: string) => (await fetch(`${base}${path}`, { headers: auth })).json();
  const running = (async () => {
    let day = Date.UTC(2027, 0, 1);
    while (!stop) {
      await new Promise((r) => setTimeout(r, 500));
      const { versions } = (await get('/api/rulesets/apeldoorn/versions')) as { versions: { version: number }[] };
      const current = await get(`/api/rulesets/apeldoorn/versions/${versions.at(-1)!.version}`);
      const draft = (await (
        await fetch(`${base}/api/rulesets/apeldoorn/drafts`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(current),
        })
      ).json()) as { draftId: string };
      day += 86_400_000;
      const submitted = await fetch(`${base}/api/rulesets/apeldoorn/drafts/${draft.draftId}/submit`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ validFrom: new Date(day).toISOString().slice(0, 10), changeNote: 'Belastingtest' }),
      });
      const res =
        submitted.status === 200
          ? await fetch(`${base}/api/rulesets/apeldoorn/drafts/${draft.draftId}/approve`, {
              method: 'POST',
              headers: { ...auth, authorization: `Bearer ${approver}` },
              body: '{}',
            })
          : submitted;
      if (res.status === 201) publishes += 1;
      else errors += 1;
    }
  })();
  return {
    async stop() {
      stop = true;
      await running;
      return { publishes, publishErrors: errors };
    },
  };
}
