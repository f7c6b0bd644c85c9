package io.transflux.operators.redact;

import java.util.Locale;

/** How a match is replaced. The spec names are the lower-case constant names. */
public enum RedactionMode {
    /** Every byte of the match becomes the mask character (Comprehend's {@code MASK}). */
    MASK,
    /** The match becomes {@code [EMAIL]} (Comprehend's {@code REPLACE_WITH_PII_ENTITY_TYPE}). */
    TYPE,
    /** The match becomes {@code [EMAIL:<16 hex digits of HMAC-SHA256(key, value)>]}, stable across objects. */
    HASH,
    /** All but the last N characters of the match become the mask character; punctuation stays. */
    PARTIAL;

    /** The spec value, e.g. {@code mask}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a spec value or a Comprehend {@code MaskMode}; null when unknown. */
    static RedactionMode fromSpec(String value) {
        switch (value) {
            case "mask":
            case "MASK":
                return MASK;
            case "type":
            case "REPLACE_WITH_PII_ENTITY_TYPE":
                return TYPE;
            case "hash":
                return HASH;
            case "partial":
                return PARTIAL;
            default:
                return null;
        }
    }
}
