/** Each role's home: CSMs (and sales, specialists) their book; managers their team; executives the business. */
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { workspaceQuery } from '../api/queries.ts';
import { Loading } from '../components/ui.tsx';

const CsmHome = lazy(() => import('./csm-home.tsx').then((module) => ({ default: module.CsmHome })));
const ManagerHome = lazy(() =>
  import('./manager-home.tsx').then((module) => ({ default: module.ManagerHome })),
);
const ExecutiveHome = lazy(() =>
  import('./executive-home.tsx').then((module) => ({ default: module.ExecutiveHome })),
);

export function HomePage() {
  const { data } = useQuery(workspaceQuery);
  if (!data) return <Loading />;
  const role = data.user.role;
  return (
    <Suspense fallback={<Loading />}>
      {role === 'manager' || role === 'admin' ? (
        <ManagerHome workspace={data} />
      ) : role === 'executive' || role === 'finance' || role === 'viewer' ? (
        <ExecutiveHome workspace={data} />
      ) : (
        <CsmHome workspace={data} />
      )}
    </Suspense>
  );
}
