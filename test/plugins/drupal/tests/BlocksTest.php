<?php

declare(strict_types=1);

namespace Drupal\georeport\Tests;

use Drupal\Core\Block\Attribute\Block;
use Drupal\Core\Form\FormState;
use Drupal\georeport\Plugin\Block\GeoReportBlockBase;
use Drupal\georeport\Plugin\Block\MapBlock;
use Drupal\georeport\Plugin\Block\StatusBlock;
use Drupal\georeport\Plugin\Block\WidgetBlock;
use PHPUnit\Framework\TestCase;

/**
 * The three blocks: how Drupal finds them, what they print, and their settings forms.
 */
final class BlocksTest extends TestCase {

  private const SET = [
    'server_url' => 'https://311.ville.example/',
    'jurisdiction' => 'ville.example',
    'api_key' => 'demo-public-key',
    'language' => 'fr',
    'center' => '47.3941,0.6848',
    'zoom' => '14',
    'accent' => '#7a1f5c',
    'background' => '#fff',
  ];

  /**
   * A block as Drupal's block manager creates it: from the container, with its saved configuration.
   */
  private static function block(string $class, array $configuration = [], array $settings = self::SET, array $permissions = []): GeoReportBlockBase {
    $site = new Site($settings);
    $site->permissions = $permissions;
    return $class::create($site->container(), $configuration, self::definition($class)->id, []);
  }

  private static function definition(string $class): Block {
    $attributes = (new \ReflectionClass($class))->getAttributes(Block::class);
    self::assertCount(1, $attributes, "$class has one #[Block] attribute");
    return $attributes[0]->newInstance();
  }

  public function testDrupalFindsEachBlockWithItsIdLabelAndCategory(): void {
    $found = [];
    foreach ([WidgetBlock::class, MapBlock::class, StatusBlock::class] as $class) {
      $definition = self::definition($class);
      $found[$definition->id] = [(string) $definition->admin_label, (string) $definition->category];
    }
    $this->assertSame([
      'georeport_widget' => ['georeport: report form and map', 'georeport'],
      'georeport_map' => ['georeport: map of requests', 'georeport'],
      'georeport_status' => ["georeport: a request's status", 'georeport'],
    ], $found);
  }

  public function testTheWidgetBlockPrintsTheElementWithTheSiteSettings(): void {
    $build = self::block(WidgetBlock::class, ['layout' => 'side'])->build();
    $this->assertSame([
      '#theme' => 'georeport_element',
      '#element' => 'georeport-widget',
      '#element_attributes' => [
        'server' => 'https://311.ville.example/',
        'jurisdiction' => 'ville.example',
        'api-key' => 'demo-public-key',
        'lang' => 'fr',
        'center' => '47.3941,0.6848',
        'zoom' => '14',
        'layout' => 'side',
        'accent' => '#7a1f5c',
        'background-color' => '#fff',
      ],
      '#attached' => ['library' => ['georeport/widget']],
      '#cache' => ['tags' => ['config:georeport.settings']],
    ], $build);
  }

  public function testUnsetSettingsAreLeftOutAndAutomaticLanguageFollowsThePage(): void {
    $build = self::block(WidgetBlock::class, [], ['server_url' => 'https://311.ville.example/'])->build();
    $this->assertSame(['server' => 'https://311.ville.example/'], $build['#element_attributes']);
  }

  public function testTheMapBlockOffersTheChosenCategoriesAndNoLayout(): void {
    $build = self::block(MapBlock::class, ['services' => 'nid-de-poule,lampadaire', 'layout' => 'side'])->build();
    $this->assertSame('georeport-map', $build['#element']);
    $this->assertSame('nid-de-poule,lampadaire', $build['#element_attributes']['services']);
    $this->assertArrayNotHasKey('layout', $build['#element_attributes']);
  }

  public function testTheStatusBlockShowsItsRequestWithoutTheApiKey(): void {
    $build = self::block(StatusBlock::class, ['request' => '123'])->build();
    $this->assertSame('georeport-status', $build['#element']);
    $this->assertSame('123', $build['#element_attributes']['request-id']);
    $this->assertArrayNotHasKey('api-key', $build['#element_attributes'], 'reading a status needs no key');
  }

  public function testHostileSavedValuesAreDroppedNotPrinted(): void {
    $map = self::block(MapBlock::class, ['services' => '"><script>alert(1)</script>'])->build();
    $this->assertArrayNotHasKey('services', $map['#element_attributes']);
    $status = self::block(StatusBlock::class, ['request' => '1" onclick="alert(1)'])->build();
    $this->assertArrayNotHasKey('request-id', $status['#element_attributes']);
  }

  public function testBeforeTheServerIsSetOnlyThoseWhoCanSetItSeeANotice(): void {
    $visitor = self::block(WidgetBlock::class, [], [])->build();
    $admin = self::block(WidgetBlock::class, [], [], ['administer site configuration'])->build();
    $this->assertFalse($visitor['#access']);
    $this->assertTrue($admin['#access']);
    $this->assertSame('georeport: set the server address in Configuration → Web services → georeport to show this block.', (string) $admin['#markup']);
    $this->assertSame(['tags' => ['config:georeport.settings'], 'contexts' => ['user.permissions']], $admin['#cache'], 'the notice goes once the server is set, and is cached per permissions');
    $this->assertArrayNotHasKey('#attached', $admin, 'no script before the server is set');
  }

  public function testEachBlockStartsFromItsDefaults(): void {
    $this->assertSame(['', ''], [self::block(WidgetBlock::class)->getConfiguration()['services'], self::block(WidgetBlock::class)->getConfiguration()['layout']]);
    $this->assertSame('', self::block(MapBlock::class)->getConfiguration()['services']);
    $this->assertSame('', self::block(StatusBlock::class)->getConfiguration()['request']);
  }

  public function testTheWidgetBlockFormShowsWhatIsSavedAndSavesWhatIsValid(): void {
    $block = self::block(WidgetBlock::class, ['services' => 'lampadaire', 'layout' => 'side']);
    $form = $block->blockForm([], new FormState());
    $this->assertSame(['services', 'layout'], array_keys($form));
    $this->assertSame(['textfield', 'lampadaire'], [$form['services']['#type'], $form['services']['#default_value']]);
    $this->assertSame(['select', 'side'], [$form['layout']['#type'], $form['layout']['#default_value']]);
    $this->assertSame(['', 'side'], array_keys($form['layout']['#options']));

    $state = new FormState(['services' => ' nid-de-poule, lampadaire ', 'layout' => 'weird']);
    $block->blockValidate($form, $state);
    $this->assertSame([], $state->getErrors());
    $block->blockSubmit($form, $state);
    $this->assertSame(['nid-de-poule,lampadaire', ''], [$block->getConfiguration()['services'], $block->getConfiguration()['layout']]);
  }

  public function testBadCategoriesAreRefusedWithAMessage(): void {
    $block = self::block(MapBlock::class);
    foreach (['a;b', 'nid-de-poule,,lampadaire', '<b>', ','] as $bad) {
      $state = new FormState(['services' => $bad]);
      $block->blockValidate([], $state);
      $this->assertSame(['services'], array_keys($state->getErrors()), $bad);
      $this->assertSame('Categories are service codes (letters, digits, . _ -) separated by commas.', (string) $state->getErrors()['services']);
    }
  }

  public function testTheStatusBlockNeedsAWholeRequestNumber(): void {
    $block = self::block(StatusBlock::class);
    $form = $block->blockForm([], new FormState());
    $this->assertSame(['request'], array_keys($form));
    $this->assertTrue($form['request']['#required']);
    foreach (['', 'abc', '0', '12 13', '-4', '1e5'] as $bad) {
      $state = new FormState(['request' => $bad]);
      $block->blockValidate($form, $state);
      $this->assertSame('The request number is a whole number, such as 123.', (string) ($state->getErrors()['request'] ?? ''), "'$bad'");
    }
    $state = new FormState(['request' => ' 42 ']);
    $block->blockValidate($form, $state);
    $this->assertSame([], $state->getErrors());
    $block->blockSubmit($form, $state);
    $this->assertSame('42', $block->getConfiguration()['request']);
  }

}
