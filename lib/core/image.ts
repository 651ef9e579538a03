/** A parsed container image reference: `[registry/]repository[:tag][@sha256:digest]`. */
export interface ImageReference {
  /** Registry and repository, e.g. `harbor.example.com/ecommerce/user-service`. */
  readonly repository: string;
  /** The tag, when one is given. */
  readonly tag?: string;
  /** The digest (`sha256:<64 hex>`), when one is given. */
  readonly digest?: string;
}

const REFERENCE =
  /^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** Parses an image reference; undefined when it is not one. */
export function parseImage(image: string): ImageReference | undefined {
  const match = REFERENCE.exec(image);
  if (!match) return undefined;
  const [, repository, tag, digest] = match;
  return { repository, tag, digest };
}

/** The reference as written in a pod spec. */
export function formatImage(ref: ImageReference): string {
  return `${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** True when the image is pinned: a digest, or a tag other than `latest`. */
export function isPinnedImage(ref: ImageReference): boolean {
  return ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest');
}
