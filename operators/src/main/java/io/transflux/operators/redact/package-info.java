/**
 * PII detection and redaction: the {@code redact/pii} and {@code redact/detect} stages. A single forward pass
 * over the bytes looks up each byte in trigger tables and hands only candidate positions to small
 * validating {@link io.transflux.operators.redact.EntityDetector}s (e-mail, phone, card, SSN, IP, MAC, IBAN,
 * AWS keys, credentials in URLs, passwords in key/value pairs); memory is bounded by a look-behind and
 * look-ahead window, so objects of any size stream in constant memory and the output does not depend on
 * how the input was chunked. Configure it with a {@link io.transflux.operators.redact.RedactionSpec} or
 * the spec grammar described in {@code docs/redaction.md}.
 */
@NullMarked
package io.transflux.operators.redact;

import org.jspecify.annotations.NullMarked;
