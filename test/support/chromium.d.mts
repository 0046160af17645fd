/** Path of the system Chromium, or undefined when none is installed. */
export declare const chromiumPath: string | undefined;
/** Flags Chromium needs on these machines (headless, as root, no background networking). */
export declare const chromiumArgs: string[];
