/*
 * Included first in every hv source (by the build): hv is one static
 * image, so every symbol is hidden and position-independent code can
 * reach it directly instead of through a GOT.
 */
#pragma GCC visibility push(hidden)
