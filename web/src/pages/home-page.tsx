/** Each role's home: CSMs (and sales, specialists) their book; managers their team; executives the business. */
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { workspaceQuery } from '../api/queries.ts';
import { Loading } from '../components/ui.tsx';
import { importRoleHome, roleHome } from './role-home.ts';

// The home route starts these imports early (router.tsx); lazy() then finds the module already on its way.
const CsmHome = lazy(() => importRoleHome.csm().then((module) => ({ default: module.CsmHome })));
const ManagerHome = lazy(() => importRoleHome.manager().then((module) => ({ default: module.ManagerHome })));
const ExecutiveHome = lazy(() =>
  importRoleHome.executive().then((module) => ({ default: module.ExecutiveHome })),
);

export function HomePage() {
  const { data } = useQuery(workspaceQuery);
  if (!data) return <Loading />;
  const home = roleHome(data.user.role);
  return (
    <Suspense fallback={<Loading />}>
      {home === 'manager' ? (
        <ManagerHome workspace={data} />
      ) : home === 'executive' ? (
        <ExecutiveHome workspace={data} />
      ) : (
        <CsmHome workspace={data} />
      )}
    </Suspense>
  );
}
