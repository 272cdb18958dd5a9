/**
 * This desk (installation): its name, shown to the other desks (who sends, who changed a setting), and the staff who
 * work here, whose desktop toasts show on this desk only. Kept in the desk's own configuration file in the data
 * folder, never replicated: every desk answers for itself.
 */
import { issue } from '../../../shared/domain/issues.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { refuse } from '../commands/command-support.ts';
import type { Handlers } from './router.ts';

function view(runtime: SalonRuntime) {
  const config = runtime.sync.config;
  return { deskId: runtime.sync.deskId, deskName: config.deskName, staffIds: [...(config.deskStaffIds ?? [])] };
}

export function deskHandlers(runtime: () => SalonRuntime): Pick<Handlers, 'desk.settings' | 'desk.save'> {
  return {
    'desk.settings': () => view(runtime()),
    'desk.save': async ({ deskName, staffIds }) => {
      const rt = runtime();
      const found = await rt.db.staff.findByIds(staffIds).exec();
      const unknown = staffIds.flatMap((id, i) => (found.has(id) ? [] : [issue('desk.staff.unknown', `staffIds[${i}]`, `no staff member "${id}" exists`, { id })]));
      if (unknown.length > 0) refuse(unknown);
      await rt.sync.configureDesk(deskName, staffIds);
      return view(rt);
    },
  };
}
