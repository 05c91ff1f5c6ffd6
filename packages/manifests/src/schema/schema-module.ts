/** What a kubernetes-models `_schemas/*` module exports: an ajv standalone validator. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

export interface SchemaModule {
  validate: SchemaValidator;
}
