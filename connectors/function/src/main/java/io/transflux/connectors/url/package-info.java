/**
 * Transform on read behind a Lambda function URL ({@code InvokeMode: RESPONSE_STREAM}), for accounts that cannot
 * create S3 Object Lambda access points: {@link io.transflux.connectors.url.ObjectUrlFunction} turns a function-URL
 * event into a GetObject of the configured bucket, signed with the function's own credentials and fetched through
 * the HTTP source, runs the pipeline, and answers an {@link io.transflux.connectors.url.HttpReply} with a streamed
 * body. {@link io.transflux.connectors.url.UrlRuntime} is the custom runtime ({@code provided.al2023}) that speaks
 * the Lambda Runtime API's streaming response mode itself (docs/protocols.md §11), since the Java managed runtime
 * buffers responses.
 */
@NullMarked
package io.transflux.connectors.url;

import org.jspecify.annotations.NullMarked;
