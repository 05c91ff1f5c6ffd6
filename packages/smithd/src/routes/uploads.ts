/**
 * PUT /uploads/drafts/:app/:version/bundle.tar.gz: the disk storage's signed upload URL. No API
 * key: the signature in the URL is the authorisation (403 upload_denied when it is wrong or old).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { UploadReceiver } from '../storage/types.ts';
import { errors } from './schemas.ts';

export const uploadRoutes: FastifyPluginAsyncTypebox<{ receiver: UploadReceiver }> = async (
  app,
  { receiver },
) => {
  // The body is streamed to disk as it comes; fastify must not buffer or parse it.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.put(
    '/uploads/drafts/:app/:version/bundle.tar.gz',
    {
      config: { auth: false },
      schema: {
        hide: true,
        params: Type.Object({ app: Type.String(), version: Type.String() }),
        querystring: Type.Object({
          sha256: Type.Optional(Type.String()),
          size: Type.Optional(Type.String()),
          expires: Type.Optional(Type.String()),
          signature: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Object({ stored: Type.Boolean() }), ...errors },
      },
    },
    async (request) => {
      const { app: appName, version } = request.params;
      await receiver.receive({
        key: `drafts/${appName}/${version}/bundle.tar.gz`,
        query: request.query,
        contentLength: request.headers['content-length'],
        body: request.raw,
      });
      return { stored: true };
    },
  );
};
