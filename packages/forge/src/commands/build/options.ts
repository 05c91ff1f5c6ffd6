export interface BuildOptions {
  output: string;
  pinDigests?: boolean;
  printSchema?: boolean;
  json?: boolean;
}
