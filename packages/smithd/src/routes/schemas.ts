/** Route parameters and error answers shared by the route plugins (the resources are in @deploysmith/core). */
import { AppName, EnvironmentName, ErrorResponse, VersionId } from '@deploysmith/core';
import Type from 'typebox';

export const AppParams = Type.Object({ app: AppName });
export const VersionParams = Type.Object({ app: AppName, id: VersionId });
export const EnvironmentParams = Type.Object({ app: AppName, env: EnvironmentName });

/** The error answers every authenticated route may give. */
export const errors = {
  '4xx': ErrorResponse,
  '5xx': ErrorResponse,
};

export const secured = [{ apiKey: [] }];
