/** The exploration's schema id (spec §6), in its own module so that the page's client need not load the model. */
export const EXPLORATION_SCHEMA = 'vfio-kvm-exploration/1';
