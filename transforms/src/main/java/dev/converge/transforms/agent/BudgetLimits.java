package dev.converge.transforms.agent;

import java.io.Serializable;

/**
 * What a job may spend on agent calls. A limit of {@code 0} or less means "no limit".
 *
 * @param maxUsd USD for the whole job
 * @param maxTokens tokens (input + output) for the whole job
 * @param maxUsdPerTask USD for the calls of one task
 * @param maxTokensPerTask tokens for the calls of one task
 */
public record BudgetLimits(double maxUsd, long maxTokens, double maxUsdPerTask, long maxTokensPerTask)
    implements Serializable {

  public static final BudgetLimits NONE = new BudgetLimits(0, 0, 0, 0);

  public boolean limited() {
    return maxUsd > 0 || maxTokens > 0 || maxUsdPerTask > 0 || maxTokensPerTask > 0;
  }

  public boolean limitsUsd() {
    return maxUsd > 0 || maxUsdPerTask > 0;
  }
}
