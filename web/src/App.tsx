import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiFailure, setCsrfToken, unwrap, whenSignedOut } from './api/client';
import { useI18n, type Key } from './i18n';
import { ErrorBox, Field, Loading } from './ui';
import type { paths } from './api/schema';

export type SessionInfo = paths['/v1/session']['get']['responses'][200]['content']['application/json'];
export type RoleProps = { session: SessionInfo };

// One chunk per role: a nurse's tablet never downloads the auditor's or the ministry's code.
const roleModules: Record<SessionInfo['role'], ComponentType<RoleProps>> = {
  municipality: lazy(() => import('./roles/municipality/Municipality')),
  site: lazy(() => import('./roles/site/Site')),
  ministry: lazy(() => import('./roles/ministry/Ministry')),
  auditor: lazy(() => import('./roles/auditor/Auditor')),
  admin: lazy(() => import('./roles/admin/Admin')),
};
const roleLabel: Record<SessionInfo['role'], Key> = { municipality: 'roleMunicipality', site: 'roleSite', ministry: 'roleMinistry', auditor: 'roleAuditor', admin: 'roleAdmin' };

const SignIn = ({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) => {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <main className="signin">
      <h1>{t('appName')}</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          try {
            const s = await unwrap(api.POST('/v1/session', { body: { username, password } }));
            setPassword('');
            onSignedIn(s as SessionInfo);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field label={t('username')}>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value.trim().toLowerCase())} required />
        </Field>
        <Field label={t('password')}>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <button type="submit" disabled={busy}>
          {t('signIn')}
        </button>
        <ErrorBox error={error} />
      </form>
    </main>
  );
};

export const App = () => {
  const { t, lang, setLang } = useI18n();
  const queryClient = useQueryClient();
  const [session, setSession] = useState<SessionInfo | null>(null);
  const current = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      // Not through unwrap: a 401 here is the ordinary "not signed in", not a session that just ended.
      const { data, response } = await api.GET('/v1/session');
      if (response.status === 401) return null;
      if (!response.ok || !data) throw new ApiFailure(response.status, `HTTP_${response.status}`, response.statusText);
      return data;
    },
    staleTime: Infinity,
  });
  useEffect(() => {
    if (current.data !== undefined) setSession(current.data);
  }, [current.data]);
  useEffect(() => {
    setCsrfToken(session?.csrfToken);
    document.title = t('appName');
  }, [session, t]);

  const forget = () => {
    // Every cached answer goes with the session: the next person at this screen sees nothing of it.
    queryClient.clear();
    queryClient.setQueryData(['session'], null);
    setCsrfToken(undefined);
    setSession(null);
  };
  whenSignedOut(forget);

  const langSwitch = (
    <button type="button" className="link" onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')} lang={lang === 'ja' ? 'en' : 'ja'}>
      {t('language')}
    </button>
  );
  if (current.isLoading) return <Loading />;
  if (!session)
    return (
      <>
        <header className="top">
          <span className="brand">{t('appName')}</span>
          {langSwitch}
        </header>
        <SignIn onSignedIn={(s) => (queryClient.clear(), setSession(s))} />
      </>
    );
  const Role = roleModules[session.role];
  return (
    <>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <span className="who">
          {session.username} · {t(roleLabel[session.role])}
          {session.municipality ? ` ${session.municipality}` : ''}
          {session.site ? ` ${session.site}` : ''}
        </span>
        {langSwitch}
        <button
          type="button"
          onClick={async () => {
            await api.DELETE('/v1/session').catch(() => undefined);
            forget();
          }}
        >
          {t('signOut')}
        </button>
      </header>
      <Suspense fallback={<Loading />}>
        <Role session={session} />
      </Suspense>
    </>
  );
};
