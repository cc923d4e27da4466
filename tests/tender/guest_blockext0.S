/* tests/tender/guest_blockext0.S: the guest of guest_blockext.S without asking for riad's block extension (ABI1 reserved0 = 0, as every Solo5 guest). */
#define ASK 0
#include "guest_blockext.S"
