/** Types for the launcher's helpers (scripts/launch.mjs is plain JS so that it runs on any Node >= 18). */
export declare const REQUIRED_NODE: string;
export declare const PROVISIONED_MAJOR: number;
export declare function nodeIsRecentEnough(version: string, required?: string): boolean;
export declare function nodePackageFor(platform: string, arch: string): string | null;
export declare function describePlatform(platform: string, arch: string): string;
export declare function splitCommands(argv: string[]): string[][];
export declare function cacheRoot(env?: Record<string, string | undefined>, platform?: string, home?: string): string;
