import type { RxCollection, RxDatabase } from 'rxdb';
import type { CollectionName, FrontDeskDocTypes } from './collections.ts';

export type FrontDeskCollections = { [K in CollectionName]: RxCollection<FrontDeskDocTypes[K]> };

/** A database with every FrontDesk collection; what `openFrontDeskDatabase` returns. */
export type FrontDeskDatabase = RxDatabase<FrontDeskCollections>;
