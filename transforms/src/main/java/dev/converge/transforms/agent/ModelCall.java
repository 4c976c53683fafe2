package dev.converge.transforms.agent;

import dev.converge.transforms.model.Task;
import java.time.Duration;

/**
 * One request to a model agent.
 *
 * @param task the task (the prompt already holds everything the model sees)
 * @param prompt the prompt
 * @param sample the sample index; agents that can vary their answers use it as a seed
 * @param attempt 1 for the first request, 2 for the first retry, ...
 * @param timeout how long the request may take
 * @param time the clock to wait on (simulated latency)
 */
public record ModelCall(
    Task task, Prompt prompt, int sample, int attempt, Duration timeout, TimeSource time) {}
