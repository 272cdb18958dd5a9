import { createContext, useContext } from 'react';
import type { Connection } from '../api/connect.ts';

export const ConnectionContext = createContext<Connection | undefined>(undefined);

/** The API client and host events, for any screen. */
export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('useConnection outside <ConnectionContext.Provider>');
  return connection;
}
