package dev.converge.pipelines.spec;

/**
 * The price of one model, in USD per million tokens.
 *
 * @param input USD per million input (prompt) tokens
 * @param output USD per million output (answer) tokens
 */
public record PriceSpec(Double input, Double output) {}
