/**
 * The S3 Object Lambda adapter: the event model ({@link io.transflux.connectors.s3.S3ObjectLambdaEvent}, all four
 * contexts, tolerant of unknown fields and array-valued MinIO headers), the SigV4-signed WriteGetObjectResponse
 * client ({@link io.transflux.connectors.s3.S3WgorClient}), the dispatcher
 * ({@link io.transflux.connectors.s3.S3ObjectLambda}) and the AWS Lambda entry point
 * ({@link io.transflux.connectors.s3.S3ObjectLambdaHandler}).
 */
@NullMarked
package io.transflux.connectors.s3;

import org.jspecify.annotations.NullMarked;
