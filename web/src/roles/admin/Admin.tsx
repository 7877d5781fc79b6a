import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, unwrapAs } from '../../api/client';
import { Nav } from '../../Nav';
import type { RoleProps } from '../../App';
import { useI18n } from '../../i18n';
import { Done, ErrorBox, Field, Loading, Table } from '../../ui';

type Role = 'municipality' | 'site' | 'ministry' | 'auditor' | 'admin';

const UsersPage = () => {
  const { t } = useI18n();
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/v1/users')) });
  const [f, setF] = useState({ username: '', role: 'municipality' as Role, municipality: '', site: '' });
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/users', {
          body: { username: f.username, role: f.role, ...(f.role === 'municipality' ? { municipality: f.municipality } : {}), ...(f.role === 'site' ? { site: f.site } : {}) },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const disable = useMutation({
    mutationFn: (username: string) => unwrap(api.POST('/v1/users/{username}/disable', { params: { path: { username } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const unlock = useMutation({
    mutationFn: (username: string) => unwrap(api.POST('/v1/users/{username}/unlock', { params: { path: { username } } })),
  });
  return (
    <section aria-labelledby="us-h">
      <h1 id="us-h">{t('users')}</h1>
      <form onSubmit={(e) => (e.preventDefault(), add.mutate())}>
        <Field label={t('username')}>
          <input name="newUsername" value={f.username} onChange={(e) => setF({ ...f, username: e.target.value })} required autoComplete="off" />
        </Field>
        <Field label={t('role')}>
          <select name="role" value={f.role} onChange={(e) => setF({ ...f, role: e.target.value as Role })}>
            {(['municipality', 'site', 'ministry', 'auditor', 'admin'] as const).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        {f.role === 'municipality' && (
          <Field label={t('municipality')}>
            <input name="municipality" value={f.municipality} onChange={(e) => setF({ ...f, municipality: e.target.value })} required />
          </Field>
        )}
        {f.role === 'site' && (
          <Field label={t('site')}>
            <input name="site" value={f.site} onChange={(e) => setF({ ...f, site: e.target.value })} required />
          </Field>
        )}
        <button type="submit">{t('addUser')}</button>
      </form>
      <ErrorBox error={add.error ?? disable.error ?? unlock.error} />
      {unlock.data && <Done>{t('unlocked')}: {unlock.data.user.username}</Done>}
      {add.data?.generatedPassword && (
        <Done>
          {t('generatedPassword')}: <code data-testid="generated-password">{add.data.generatedPassword}</code>
        </Done>
      )}
      {users.isLoading && <Loading />}
      <Table
        rows={users.data?.users}
        rowKey={(u) => u.username}
        columns={[
          { header: t('username'), cell: (u) => u.username },
          { header: t('role'), cell: (u) => u.role },
          { header: t('municipality'), cell: (u) => u.municipality ?? '' },
          { header: t('site'), cell: (u) => u.site ?? '' },
          { header: t('status'), cell: (u) => (u.disabledAt ? t('disabled') : t('active')) },
          {
            header: '',
            cell: (u) =>
              !u.disabledAt && (
                <>
                  <button type="button" className="secondary" onClick={() => disable.mutate(u.username)} aria-label={`${t('disable')} ${u.username}`}>
                    {t('disable')}
                  </button>
                  <button type="button" className="secondary" onClick={() => unlock.mutate(u.username)} aria-label={`${t('unlock')} ${u.username}`}>
                    {t('unlock')}
                  </button>
                </>
              ),
          },
        ]}
      />
    </section>
  );
};

type Projection = { name: string; position: number; positionsBehind: number; secondsBehind: number | null; error: string | null; rebuild: { phase: string; events: number; position: number; headPosition: number } | null };

const ProjectionsPage = () => {
  const { t } = useI18n();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['projections'], queryFn: () => unwrapAs<{ projections: Projection[] }>(api.GET('/v1/admin/projections')), refetchInterval: 2000 });
  const rebuild = useMutation({
    mutationFn: (name: string) => unwrap(api.POST('/v1/admin/projections/{name}/rebuild', { params: { path: { name }, query: { wait: 'false' } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['projections'] }),
  });
  return (
    <section aria-labelledby="pr-h">
      <h1 id="pr-h">{t('projections')}</h1>
      <ErrorBox error={q.error ?? rebuild.error} />
      <Table
        rows={q.data?.projections}
        rowKey={(p) => p.name}
        columns={[
          { header: t('name'), cell: (p) => p.name },
          { header: t('position'), cell: (p) => p.position },
          { header: t('positionsBehind'), cell: (p) => p.positionsBehind },
          { header: t('lag'), cell: (p) => (p.secondsBehind === null ? '—' : `${p.secondsBehind.toFixed(1)}${t('seconds')}`) },
          {
            header: t('status'),
            cell: (p) => (
              <>
                {p.error ?? 'ok'}
                {p.rebuild && (
                  <>
                    <br />
                    {t('rebuilding')}: {p.rebuild.phase}{' '}
                    <progress max={Math.max(1, p.rebuild.headPosition)} value={p.rebuild.position} aria-label={`${t('rebuilding')} ${p.name}`} />
                  </>
                )}
              </>
            ),
          },
          {
            header: '',
            cell: (p) => (
              <button type="button" disabled={p.rebuild !== null} onClick={() => rebuild.mutate(p.name)} aria-label={`${t('rebuild')} ${p.name}`}>
                {t('rebuild')}
              </button>
            ),
          },
        ]}
      />
    </section>
  );
};

export default function Admin(_: RoleProps) {
  const [page, setPage] = useState<'users' | 'projections'>('users');
  return (
    <>
      <Nav pages={['users', 'projections']} page={page} setPage={setPage} />
      <main>{page === 'users' ? <UsersPage /> : <ProjectionsPage />}</main>
    </>
  );
}
