package io.transflux.connectors;

/**
 * What an access point's configuration payload (S3 {@code supportingAccessPointArn}'s
 * {@code configuration.payload}, OSS {@code configuration.payload}) may change in a function. A function built
 * in code chooses this explicitly, so a payload can never silently replace a pipeline its author wrote.
 */
public enum PayloadPolicy {

    /**
     * Every payload key applies, {@code pipeline} included: one deployed function serves several access points,
     * each with its own pipeline. The shipped handlers, {@code transflux invoke} and {@code serve} use this.
     */
    APPLY,

    /** The payload is not read: the function is configured in code only, whatever the access point says. */
    IGNORE,

    /**
     * The default. A payload that sets any key fails the invocation with 500 {@code InvalidConfiguration}
     * naming the key, so the access point's owner learns that the setting has no effect; a blank payload or
     * {@code {}} is accepted.
     */
    REJECT
}
