# guests: PV guest kernels that run on hv, and their runtime (guests/lib).
