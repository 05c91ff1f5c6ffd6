// s3rver ships no types; this is the part of its API the S3 harness uses.
declare module 's3rver' {
  interface S3rverOptions {
    port?: number;
    address?: string;
    silent?: boolean;
    directory: string;
    configureBuckets?: { name: string; configs?: string[] }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    /** The node:http server, once `run()` resolved. */
    httpServer?: import('node:http').Server;
    close(): Promise<void>;
  }
}
