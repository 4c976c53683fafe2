package dev.converge.transforms.reduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The rules for the branch Converge may create in a user's repository ({@code converge run
 * --branch NAME}): a valid name; never the branch HEAD points to (that would change what the user
 * has checked out); and an existing branch only when its last commit is Converge's own (a re-run
 * replaces its earlier result, but never commits a person added).
 */
public final class Branches {
  private Branches() {}

  /** What stops Converge from writing branch {@code name} in {@code repo}, if anything. */
  public static Optional<String> problem(String repo, String name) {
    try (Git git = Git.open(Path.of(repo).toFile())) {
      return problem(git.getRepository(), name);
    } catch (IOException e) {
      return Optional.of(repo + " is not a readable git repository: " + e.getMessage());
    }
  }

  static Optional<String> problem(Repository repository, String name) throws IOException {
    String refName = Constants.R_HEADS + name;
    if (name.isBlank() || !Repository.isValidRefName(refName)) {
      return Optional.of("'" + name + "' is not a valid branch name");
    }
    Ref head = repository.exactRef(Constants.HEAD);
    if (head != null && head.isSymbolic() && head.getTarget().getName().equals(refName)) {
      return Optional.of(
          "branch " + name + " is checked out in " + describe(repository) + "; choose another name");
    }
    Ref existing = repository.exactRef(refName);
    if (existing != null && !madeByConverge(repository, existing.getObjectId())) {
      return Optional.of(
          "branch " + name + " already exists in " + describe(repository)
              + " with commits not made by Converge; delete it or choose another name");
    }
    return Optional.empty();
  }

  /** The branch's current commit, or null when it does not exist. */
  static ObjectId current(Repository repository, String name) throws IOException {
    Ref ref = repository.exactRef(Constants.R_HEADS + name);
    return ref == null ? null : ref.getObjectId();
  }

  private static boolean madeByConverge(Repository repository, ObjectId commit) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit tip = walk.parseCommit(commit);
      return tip.getCommitterIdent().getEmailAddress().equals(MergeRepository.IDENTITY.getEmailAddress());
    }
  }

  private static String describe(Repository repository) {
    return repository.isBare()
        ? repository.getDirectory().toString()
        : repository.getWorkTree().toString();
  }
}
