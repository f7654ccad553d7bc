/** The path of the flood publisher script: a separate publishing process for tests and the benchmark. */
export declare const floodPublisherScript: string;
