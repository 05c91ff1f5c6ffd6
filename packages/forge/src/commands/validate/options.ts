export interface ValidateOptions {
  json?: boolean;
}
