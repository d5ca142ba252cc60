/** The exploration's schema id (the exploration format (README)), in its own module so that the page's client need not load the model. */
export const EXPLORATION_SCHEMA = 'vfio-kvm-exploration/1';
