<?php

declare(strict_types=1);

namespace Drupal\Core\Session;

interface AccountInterface {

  public function hasPermission($permission);

}
