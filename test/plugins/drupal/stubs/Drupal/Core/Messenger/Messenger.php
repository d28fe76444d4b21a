<?php

declare(strict_types=1);

namespace Drupal\Core\Messenger;

/**
 * The messages shown on the next page.
 */
class Messenger {

  public array $messages = [];

  public function addStatus($message, $repeat = FALSE) {
    $this->messages[] = (string) $message;
    return $this;
  }

}
