import { useState } from 'react';
import { Nav } from '../../Nav';
import type { RoleProps } from '../../App';
import { SearchPage } from './SearchPage';
import { PersonPage } from './PersonPage';
import { TransferPage } from './TransferPage';
import { ImportPage } from './ImportPage';
import { ExportPage } from './ExportPage';

type Page = 'search' | 'person' | 'transfer' | 'import' | 'export';

/** 自治体: search → 接種状況 → record/correct/void; transfer in; CSV import; ledger export. */
export default function Municipality({ session }: RoleProps) {
  const [page, setPage] = useState<Page>('search');
  const [selected, setSelected] = useState<{ municipality: string; coupon: string } | null>(null);
  const municipality = session.municipality!;
  const open = (coupon: string) => {
    setSelected({ municipality, coupon });
    setPage('person');
  };
  return (
    <>
      <Nav pages={selected ? ['search', 'person', 'transfer', 'import', 'export'] : ['search', 'transfer', 'import', 'export']} page={page} setPage={setPage} />
      <main>
        {page === 'search' && <SearchPage municipality={municipality} onOpen={open} />}
        {page === 'person' && selected && <PersonPage {...selected} />}
        {page === 'transfer' && <TransferPage onDone={open} />}
        {page === 'import' && <ImportPage />}
        {page === 'export' && <ExportPage municipality={municipality} />}
      </main>
    </>
  );
}
